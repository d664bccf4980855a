import { escapeControl } from '../util/terminal-text.js';
import type { FindingRow } from '../findings/finding-row.js';
import type { BatchReport } from '../pipeline/batch-report.js';
import { SOURCES, sourceById } from '../sources/sources.js';

const COLUMNS: readonly { title: string; width: number; get: (row: FindingRow) => string | null }[] = [
  { title: 'TIME (UTC)', width: 19, get: (r) => r.EventTime.replace('T', ' ').slice(0, 19) },
  { title: 'FINDING', width: 8, get: (r) => r.FindingId.slice(0, 8) },
  { title: 'SEVERITY', width: 8, get: (r) => r.Severity },
  { title: 'CLUSTER', width: 18, get: (r) => r.ClusterName },
  { title: 'OPERATION', width: 22, get: shortOperation },
  {
    title: 'WORKLOAD',
    width: 30,
    get: (r) => [r.Namespace, r.WorkloadKind, r.WorkloadName].filter((p) => p !== null).join('/'),
  },
  { title: 'CALLER', width: 26, get: (r) => r.Caller },
  { title: 'RESULT', width: 13, get: (r) => r.ResultType },
  { title: 'RULE', width: 36, get: (r) => r.RuleTitle },
];

/** The operation as its source shortens it: the cluster column already says where. */
function shortOperation(row: FindingRow): string | null {
  if (row.Operation === null) return null;
  return sourceById(row.Source)?.shortOperation(row.Operation) ?? row.Operation;
}

/** One line per finding; `notes`, when given, adds a last column (the exception that suppressed it). */
export function formatTable(rows: readonly FindingRow[], notes?: readonly string[]): string {
  const lines = [tableHeader(notes !== undefined)];
  rows.forEach((row, i) => lines.push(tableLine(row, notes === undefined ? undefined : (notes[i] ?? ''))));
  return `${lines.join('\n')}\n`;
}

/** The header line; columns have fixed widths, so lines can be written as findings arrive. */
export function tableHeader(withNotes: boolean): string {
  const header = COLUMNS.map((c) => cell(c.title, c.width));
  return (withNotes ? [...header, 'EXCEPTION'] : header).join('  ').trimEnd();
}

export function tableLine(row: FindingRow, note?: string): string {
  const cells = COLUMNS.map((c) => cell(c.get(row) ?? '-', c.width));
  return (note === undefined ? cells : [...cells, note]).join('  ').trimEnd();
}

function cell(text: string, width: number): string {
  // Records are written by adversaries: no control character reaches the terminal (`\x1b` → `\u001b`).
  const flat = escapeControl(text.replace(/\s+/g, ' '));
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat.padEnd(width);
}

export function formatSummary(report: BatchReport, ruleTitles: ReadonlyMap<string, string>): string {
  const lines = [
    `Read ${report.bodies} bodies, ${report.records} records: ${SOURCES.map((s) => `${report.bySource[s.id]} ${s.displayName}, `).join('')}${report.bySource.unknown} other${report.prefilterUnparsedRecords > 0 ? `, ${report.prefilterUnparsedRecords} left unparsed` : ''}.`,
    `Findings: ${report.findings}${
      report.findings === 0
        ? ''
        : ` (${Object.entries(report.findingsByRule)
            .map(([id, n]) => `${ruleTitles.get(id) ?? id}: ${n}`)
            .join('; ')})`
    }.`,
  ];
  if (
    report.prefilterSkippedBodies > 0 ||
    report.prefilterSkippedRecords > 0 ||
    report.prefilterUnparsedRecords > 0
  ) {
    const embedded = SOURCES.flatMap((s) =>
      s.prefilter.embedded === undefined ? [] : [s.prefilter.embedded.label],
    );
    lines.push(
      `Prefilter: ${report.prefilterSkippedBodies} bodies could not match and were skipped unparsed (their records are not counted above); ${report.prefilterUnparsedRecords} records of other bodies could not match and were left unparsed; ${report.prefilterSkippedRecords} ${embedded.join(' or ')} were ruled out unparsed.`,
    );
  }
  if (report.suppressed > 0) {
    lines.push(
      `Suppressed by exceptions: ${report.suppressed} (${Object.entries(report.suppressedByException)
        .map(([id, n]) => `${id}: ${n}`)
        .join('; ')}); list them with --show-suppressed.`,
    );
  }
  if (report.unreadable > 0) {
    lines.push(`Unreadable: ${report.unreadable}.`);
    for (const p of report.problems) lines.push(`  ${p.where}: ${p.message}`);
    if (report.problemsOmitted > 0) lines.push(`  … and ${report.problemsOmitted} more`);
  }
  return `${lines.join('\n')}\n`;
}
