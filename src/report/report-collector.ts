import { describeOrigin, type BodyOrigin } from '../decode/origin.js';
import type { FindingRow } from '../findings/finding-row.js';
import type { BatchReport } from '../pipeline/batch-report.js';
import type { SuppressedFinding } from '../pipeline/detector.js';
import { InputTally } from './input-tally.js';
import { renderReport } from './render-report.js';
import { buildReportModel } from './report-model.js';

/** Gathers what a scan's HTML report needs while the scan runs, and renders it at the end. */
export class ReportCollector {
  private readonly tally: InputTally;
  private readonly findingRows: FindingRow[] = [];
  private readonly suppressedRows: SuppressedFinding[] = [];

  constructor(
    readonly file: string,
    snapshot: () => BatchReport,
  ) {
    this.tally = new InputTally(snapshot);
  }

  body(origin: BodyOrigin): void {
    this.tally.body(origin.file ?? describeOrigin(origin));
  }

  unreadable(input: string): void {
    this.tally.unreadable(input);
  }

  /** The rows as emitted (after enrichment), so the report and the JSON Lines show the same findings. */
  rows(rows: readonly FindingRow[]): void {
    this.findingRows.push(...rows);
  }

  suppressed(rows: readonly SuppressedFinding[]): void {
    this.suppressedRows.push(...rows);
  }

  /** `report` is the scan's final report, with the problems of unreadable files added. */
  render(report: BatchReport, detectorVersion: string, generatedAt: Date): string {
    return renderReport(
      buildReportModel({
        generatedAt,
        detectorVersion,
        report,
        inputs: this.tally.finish(),
        rows: this.findingRows,
        suppressed: this.suppressedRows,
      }),
    );
  }
}
