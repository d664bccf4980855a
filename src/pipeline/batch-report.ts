import type { SourceKind } from '../sources/source-kind.js';
import { SOURCE_KINDS } from '../sources/sources.js';

export interface InputProblem {
  /** Where: file and line, or event index. */
  readonly where: string;
  readonly message: string;
}

/** Counts for one batch or one scan; details of problems are kept up to a limit, counts always. */
export interface BatchReport {
  bodies: number;
  records: number;
  bySource: Record<SourceKind | 'unknown', number>;
  unreadable: number;
  problems: InputProblem[];
  problemsOmitted: number;
  findings: number;
  findingsByRule: Record<string, number>;
  /** Matches an exception suppressed: counted here, listed by `scan --show-suppressed`, never uploaded. */
  suppressed: number;
  suppressedByException: Record<string, number>;
  /** Bodies the prefilter showed could not match, skipped unparsed (their records are not counted). */
  prefilterSkippedBodies: number;
  /** Records whose embedded event text (an AKS `properties.log`) the prefilter ruled out, left unparsed. */
  prefilterSkippedRecords: number;
  /**
   * Records of a body read record by record (one another record of it lets through) that the
   * prefilter showed could not match, left unparsed: counted in `records`, under no source.
   */
  prefilterUnparsedRecords: number;
}

export const MAX_PROBLEM_DETAILS = 1000;

export function emptyReport(): BatchReport {
  return {
    bodies: 0,
    records: 0,
    bySource: Object.fromEntries(
      [...SOURCE_KINDS, 'unknown'].map((kind) => [kind, 0]),
    ) as BatchReport['bySource'],
    unreadable: 0,
    problems: [],
    problemsOmitted: 0,
    findings: 0,
    findingsByRule: {},
    suppressed: 0,
    suppressedByException: {},
    prefilterSkippedBodies: 0,
    prefilterSkippedRecords: 0,
    prefilterUnparsedRecords: 0,
  };
}

export function addProblem(report: BatchReport, problem: InputProblem): void {
  report.unreadable++;
  if (report.problems.length < MAX_PROBLEM_DETAILS) report.problems.push(problem);
  else report.problemsOmitted++;
}
