import type { BatchReport } from '../pipeline/batch-report.js';

/** One scanned input as the report lists it: its bodies, and its records by source. */
export interface InputEntry {
  readonly input: string;
  bodies: number;
  records: number;
  activityLog: number;
  kubeAudit: number;
  unknown: number;
  prefilterUnparsedRecords: number;
  prefilterSkippedBodies: number;
  unreadable: number;
}

type Counts = Omit<InputEntry, 'input'>;

function countsOf(report: BatchReport): Counts {
  return {
    bodies: report.bodies,
    records: report.records,
    activityLog: report.bySource.AzureActivity,
    kubeAudit: report.bySource.KubeAudit,
    unknown: report.bySource.unknown,
    prefilterUnparsedRecords: report.prefilterUnparsedRecords,
    prefilterSkippedBodies: report.prefilterSkippedBodies,
    unreadable: report.unreadable,
  };
}

const COUNT_KEYS = [
  'bodies',
  'records',
  'activityLog',
  'kubeAudit',
  'unknown',
  'prefilterUnparsedRecords',
  'prefilterSkippedBodies',
  'unreadable',
] as const satisfies readonly (keyof Counts)[];

/**
 * Splits the detector's running totals by input file. It snapshots the totals only when the file
 * changes (not per body), so a scan of millions of lines pays for one snapshot per file.
 */
export class InputTally {
  private readonly entries = new Map<string, InputEntry>();
  private current: { readonly input: string; readonly start: Counts } | undefined;

  constructor(private readonly snapshot: () => BatchReport) {}

  /** Call before the detector processes a body from `input`. */
  body(input: string): void {
    if (this.current?.input === input) return;
    const now = countsOf(this.snapshot());
    this.close(now);
    this.entry(input); // inputs are listed in the order they were first read
    this.current = { input, start: now };
  }

  /** An input that could not be read at all (missing file, unreadable directory, I/O error). */
  unreadable(input: string): void {
    this.entry(input).unreadable++;
  }

  finish(): InputEntry[] {
    this.close(countsOf(this.snapshot()));
    this.current = undefined;
    return [...this.entries.values()];
  }

  private close(now: Counts): void {
    if (this.current === undefined) return;
    const entry = this.entry(this.current.input);
    for (const key of COUNT_KEYS) entry[key] += now[key] - this.current.start[key];
  }

  private entry(input: string): InputEntry {
    let entry = this.entries.get(input);
    if (entry === undefined) {
      entry = { input, ...Object.fromEntries(COUNT_KEYS.map((key) => [key, 0])) } as InputEntry;
      this.entries.set(input, entry);
    }
    return entry;
  }
}
