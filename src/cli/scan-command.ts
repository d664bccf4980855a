import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { SingleBar, Presets } from 'cli-progress';
import type { FindingRow } from '../findings/finding-row.js';
import { readInputs, totalInputBytes } from '../inputs/read-inputs.js';
import { addProblem } from '../pipeline/batch-report.js';
import { systemClock } from '../pipeline/clock.js';
import { Detector, type SuppressedFinding } from '../pipeline/detector.js';
import { formatDiagnostic } from '../sigma/diagnostics.js';
import { loadRuleSetOrReport } from './load-rules-or-report.js';
import { formatSummary, formatTable } from './format-table.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { packageInfo } from './package-info.js';

export interface ScanOptions {
  readonly format: 'table' | 'jsonl';
  readonly rules: string[];
  readonly output?: string;
  readonly quiet?: boolean;
  readonly showSuppressed?: boolean;
}

/** Inputs above this size get a progress bar when stderr is a terminal. */
const PROGRESS_THRESHOLD_BYTES = 16 * 1024 * 1024;

export async function runScan(paths: readonly string[], options: ScanOptions, io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream & { isTTY?: boolean } }): Promise<ExitCode> {
  const loaded = await loadRuleSetOrReport(options.rules, io.stderr);
  if (loaded === undefined) return EXIT.usage;
  const { ruleSet, files } = loaded;
  const broken = files.filter((f) => f.status === 'error');
  if (broken.length > 0) {
    for (const file of broken) for (const d of file.diagnostics) io.stderr.write(`${formatDiagnostic(d)}\n`);
    io.stderr.write(`${broken.length} rule file(s) do not compile; fix them or check with "kube-job-detector rules lint".\n`);
    return EXIT.usage;
  }
  const info = packageInfo();
  const detector = new Detector({ ruleSet, clock: systemClock, detectorVersion: info.version });
  const output: WriteStream | NodeJS.WritableStream = options.output === undefined ? io.stdout : createWriteStream(options.output);
  const progress = await startProgress(paths, io.stderr);
  const tableRows: FindingRow[] = [];
  const suppressedRows: SuppressedFinding[] = [];
  let inputProblems = 0;
  const problemsReport = { problems: [] as { where: string; message: string }[] };

  for await (const item of readInputs(paths, { onBytes: progress?.tick })) {
    if (item.kind === 'problem') {
      inputProblems++;
      problemsReport.problems.push({ where: item.where, message: item.message });
      continue;
    }
    const result = detector.processBody(item);
    if (options.showSuppressed === true) suppressedRows.push(...result.suppressed);
    for (const row of result.findings) {
      if (options.format === 'jsonl') {
        if (!output.write(`${JSON.stringify(row)}\n`)) await once(output, 'drain');
      } else {
        tableRows.push(row);
      }
    }
  }
  progress?.stop();
  if (options.format === 'table') output.write(tableRows.length === 0 ? 'No findings.\n' : formatTable(tableRows));
  if (options.showSuppressed === true) writeSuppressed(suppressedRows, options.format, options.format === 'table' ? output : io.stderr);
  if (output !== io.stdout) {
    (output as WriteStream).end();
    await once(output, 'finish');
  }

  const report = detector.report();
  for (const problem of problemsReport.problems) addProblem(report, problem);
  if (!options.quiet) {
    const titles = new Map(ruleSet.active.map((r) => [r.metadata.ruleId, r.metadata.title]));
    io.stderr.write(formatSummary(report, titles));
  }
  return report.unreadable > 0 || inputProblems > 0 ? EXIT.partialInput : EXIT.ok;
}

async function startProgress(paths: readonly string[], stderr: NodeJS.WritableStream & { isTTY?: boolean }): Promise<{ tick: (bytes: number) => void; stop: () => void } | undefined> {
  if (stderr.isTTY !== true) return undefined;
  const total = await totalInputBytes(paths);
  if (total < PROGRESS_THRESHOLD_BYTES) return undefined;
  const bar = new SingleBar({ stream: stderr, format: 'scanning [{bar}] {percentage}% | {value}/{total} MB', hideCursor: true }, Presets.shades_classic);
  const totalMb = Math.ceil(total / 1_048_576);
  let bytes = 0;
  bar.start(totalMb, 0);
  return {
    tick: (n) => {
      bytes += n;
      bar.update(Math.min(totalMb, Math.floor(bytes / 1_048_576)));
    },
    stop: () => bar.stop(),
  };
}

/** Suppressed findings never mix with the rows that would be uploaded: in jsonl mode they go to stderr. */
function writeSuppressed(rows: readonly SuppressedFinding[], format: ScanOptions['format'], out: NodeJS.WritableStream): void {
  if (format === 'jsonl') {
    for (const row of rows) out.write(`${JSON.stringify({ suppressedBy: row.exceptionId, reason: row.reason, finding: row.finding })}\n`);
    return;
  }
  out.write(`\nSuppressed by exceptions:${rows.length === 0 ? ' none.' : ''}\n`);
  if (rows.length > 0) out.write(formatTable(rows.map((r) => r.finding), rows.map((r) => r.exceptionId)));
}
