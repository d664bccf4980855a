import type { FindingRow } from '../findings/finding-row.js';
import type { BatchReport, InputProblem } from '../pipeline/batch-report.js';
import type { SuppressedFinding } from '../pipeline/detector.js';
import type { InputEntry } from './input-tally.js';
import { isFinal, outcomeOf, type Outcome } from './outcome.js';

/** One operation: the rows that share a FindingId (an Activity Log Start and Success, redeliveries). */
export interface ReportFinding {
  /** Event time: `EventTime` when the row has it, else `TimeGenerated`, else `DetectedAt`. */
  readonly time: string;
  readonly outcome: Outcome;
  /** ResultType of every row of the operation, in scan order. */
  readonly resultTypes: readonly (string | null)[];
  /** The row the views show: the last one with a final outcome, else the last one. */
  readonly row: FindingRow;
}

export interface ReportSuppressed {
  readonly exceptionId: string;
  readonly reason: string;
  readonly time: string;
  readonly outcome: Outcome;
  readonly row: FindingRow;
}

/** Everything the HTML report shows; the page holds it as JSON and renders it with DOM APIs. */
export interface ReportModel {
  readonly generatedAt: string;
  readonly detectorVersion: string;
  readonly totals: {
    readonly bodies: number;
    readonly records: number;
    readonly activityLog: number;
    readonly kubeAudit: number;
    readonly unknown: number;
    readonly prefilterUnparsedRecords: number;
    readonly findingRows: number;
    readonly findings: number;
    readonly suppressed: number;
    readonly unreadable: number;
    readonly prefilterSkippedBodies: number;
    readonly prefilterSkippedRecords: number;
  };
  readonly inputs: readonly InputEntry[];
  readonly problems: readonly InputProblem[];
  readonly problemsOmitted: number;
  readonly findings: readonly ReportFinding[];
  readonly suppressed: readonly ReportSuppressed[];
}

export interface ReportInput {
  readonly generatedAt: Date;
  readonly detectorVersion: string;
  readonly report: BatchReport;
  readonly inputs: readonly InputEntry[];
  readonly rows: readonly FindingRow[];
  readonly suppressed: readonly SuppressedFinding[];
}

export function buildReportModel(input: ReportInput): ReportModel {
  const { report } = input;
  const findings = collapseByFindingId(input.rows);
  return {
    generatedAt: input.generatedAt.toISOString(),
    detectorVersion: input.detectorVersion,
    totals: {
      bodies: report.bodies,
      records: report.records,
      activityLog: report.bySource.AzureActivity,
      kubeAudit: report.bySource.KubeAudit,
      unknown: report.bySource.unknown,
      prefilterUnparsedRecords: report.prefilterUnparsedRecords,
      findingRows: input.rows.length,
      findings: findings.length,
      suppressed: input.suppressed.length,
      unreadable: report.unreadable,
      prefilterSkippedBodies: report.prefilterSkippedBodies,
      prefilterSkippedRecords: report.prefilterSkippedRecords,
    },
    inputs: input.inputs,
    problems: report.problems,
    problemsOmitted: report.problemsOmitted,
    findings,
    suppressed: input.suppressed.map((s) => ({
      exceptionId: s.exceptionId,
      reason: s.reason,
      time: eventTime(s.finding),
      outcome: outcomeOf(s.finding),
      row: s.finding,
    })),
  };
}

/** The workbook's `summarize arg_max(DetectedAt, *) by FindingId`: one operation counts once. */
function collapseByFindingId(rows: readonly FindingRow[]): ReportFinding[] {
  const groups = new Map<string, { shown: FindingRow; final: boolean; resultTypes: (string | null)[] }>();
  for (const row of rows) {
    const final = isFinal(outcomeOf(row));
    const group = groups.get(row.FindingId);
    if (group === undefined) {
      groups.set(row.FindingId, { shown: row, final, resultTypes: [row.ResultType] });
      continue;
    }
    group.resultTypes.push(row.ResultType);
    // The last row with a final outcome wins; without one, the last row.
    if (final || !group.final) Object.assign(group, { shown: row, final });
  }
  return [...groups.values()].map(({ shown, resultTypes }) => ({
    time: eventTime(shown),
    outcome: outcomeOf(shown),
    resultTypes,
    row: shown,
  }));
}

/** Findings are getting an `EventTime` column; until a row has it, its record time is `TimeGenerated`. */
export function eventTime(row: FindingRow): string {
  const event: unknown = Object.hasOwn(row, 'EventTime') ? Reflect.get(row, 'EventTime') : undefined;
  if (typeof event === 'string' && event !== '') return event;
  return row.TimeGenerated !== '' ? row.TimeGenerated : row.DetectedAt;
}
