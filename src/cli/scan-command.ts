import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { SingleBar, Presets } from 'cli-progress';
import type { FindingRow } from '../findings/finding-row.js';
import { readInputs, totalInputBytes } from '../inputs/read-inputs.js';
import { addProblem, type InputProblem } from '../pipeline/batch-report.js';
import { systemClock } from '../util/clock.js';
import { Detector, type SuppressedFinding } from '../pipeline/detector.js';
import { loadRuleSetOrReport } from './load-rules-or-report.js';
import { SettingsError } from '../config/settings.js';
import { deliverFindings } from '../pipeline/deliver.js';
import { cliRuntime } from './azure-wiring.js';
import { formatSummary, formatTable } from './format-table.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { packageInfo } from '../package-info.js';
import { ReportCollector } from '../report/report-collector.js';

export interface ScanOptions {
  readonly format: 'table' | 'jsonl';
  readonly rules: string[];
  readonly output?: string;
  readonly report?: string;
  readonly quiet?: boolean;
  readonly showSuppressed?: boolean;
  readonly enrich?: boolean;
  readonly upload?: boolean;
  readonly deadLetterContainer?: string;
  readonly deadLetterDir?: string;
}

/** Rows are enriched and uploaded in groups of this many, so memory stays bounded on large scans. */
const FLUSH_ROWS = 500;

/** Inputs above this size get a progress bar when stderr is a terminal. */
const PROGRESS_THRESHOLD_BYTES = 16 * 1024 * 1024;

export async function runScan(
  paths: readonly string[],
  options: ScanOptions,
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream & { isTTY?: boolean } },
): Promise<ExitCode> {
  const loaded = await loadRuleSetOrReport(options.rules, io.stderr, { reportBroken: true });
  if (loaded === undefined) return EXIT.usage;
  const { ruleSet } = loaded;
  const info = packageInfo();
  const detector = new Detector({ ruleSet, clock: systemClock, detectorVersion: info.version });
  let azure: AzureStages;
  try {
    azure = azureStages(options);
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    io.stderr.write(`${error.message}\n`);
    return EXIT.usage;
  }
  const output: WriteStream | NodeJS.WritableStream =
    options.output === undefined ? io.stdout : createWriteStream(options.output);
  const progress = await startProgress(paths, io.stderr);
  const tableRows: FindingRow[] = [];
  const suppressedRows: SuppressedFinding[] = [];
  const pending: FindingRow[] = [];
  const htmlReport =
    options.report === undefined ? undefined : new ReportCollector(options.report, () => detector.report());
  const flush = async (): Promise<void> => {
    const rows = await azure.process(pending.splice(0));
    htmlReport?.rows(rows);
    for (const row of rows) {
      if (options.format === 'jsonl') {
        if (!output.write(`${JSON.stringify(row)}\n`)) await once(output, 'drain');
      } else {
        tableRows.push(row);
      }
    }
  };
  const fileProblems: InputProblem[] = [];

  for await (const item of readInputs(paths, { onBytes: progress?.tick })) {
    if (item.kind === 'problem') {
      fileProblems.push({ where: item.where, message: item.message });
      htmlReport?.unreadable(item.where);
      continue;
    }
    htmlReport?.body(item.origin);
    const result = detector.processBody(item);
    htmlReport?.suppressed(result.suppressed);
    if (options.showSuppressed === true) suppressedRows.push(...result.suppressed);
    pending.push(...result.findings);
    if (pending.length >= FLUSH_ROWS) await flush();
  }
  await flush();
  progress?.stop();
  if (options.format === 'table')
    output.write(tableRows.length === 0 ? 'No findings.\n' : formatTable(tableRows));
  if (options.showSuppressed === true)
    writeSuppressed(suppressedRows, options.format, options.format === 'table' ? output : io.stderr);
  if (output !== io.stdout) {
    (output as WriteStream).end();
    await once(output, 'finish');
  }

  const report = detector.report();
  for (const problem of fileProblems) addProblem(report, problem);
  if (htmlReport !== undefined)
    await writeFile(htmlReport.file, htmlReport.render(report, info.version, new Date()));
  if (!options.quiet) {
    const titles = new Map(ruleSet.active.map((r) => [r.metadata.ruleId, r.metadata.title]));
    io.stderr.write(formatSummary(report, titles));
    io.stderr.write(azure.summary());
    if (ruleSet.notLoaded.length > 0)
      io.stderr.write(`Rule files not loaded (see above): ${ruleSet.notLoaded.join(', ')}.\n`);
  }
  if (report.unreadable > 0) return EXIT.partialInput;
  if (azure.deadLettered() > 0) return EXIT.deadLettered;
  return ruleSet.notLoaded.length > 0 ? EXIT.rulesNotLoaded : EXIT.ok;
}

interface AzureStages {
  process(rows: FindingRow[]): Promise<FindingRow[]>;
  summary(): string;
  deadLettered(): number;
}

/** `--enrich` and `--upload` run the function's delivery stage on the scanned findings. */
function azureStages(options: ScanOptions): AzureStages {
  const enrich = options.enrich === true;
  const upload = options.upload === true;
  const runtime =
    enrich || upload
      ? cliRuntime({
          enrich,
          upload,
          deadLetterContainer: options.deadLetterContainer,
          deadLetterDir: options.deadLetterDir,
        })
      : undefined;
  const enrichment: Record<string, number> = {};
  const uploaded = { uploaded: 0, deadLettered: 0, entries: [] as string[], errors: new Set<string>() };
  return {
    async process(rows) {
      if (runtime === undefined) return rows;
      const delivery = await deliverFindings(rows, runtime, { source: 'kube-job-detector scan' });
      if (delivery.enrichment !== 'disabled')
        for (const [status, n] of Object.entries(delivery.enrichment.byStatus))
          enrichment[status] = (enrichment[status] ?? 0) + n;
      uploaded.uploaded += delivery.upload.uploaded;
      uploaded.deadLettered += delivery.upload.deadLettered;
      uploaded.entries.push(...delivery.upload.deadLetterBlobs);
      for (const e of delivery.upload.errors) uploaded.errors.add(e);
      return delivery.rows;
    },
    summary() {
      const lines: string[] = [];
      if (enrich)
        lines.push(
          `Enrichment: ${
            Object.entries(enrichment)
              .map(([s, n]) => `${s} ${n}`)
              .join(', ') || 'nothing to enrich'
          }.`,
        );
      if (upload) {
        lines.push(
          `Uploaded ${uploaded.uploaded} finding(s)${uploaded.deadLettered === 0 ? '.' : `; dead-lettered ${uploaded.deadLettered} in ${uploaded.entries.join(', ')} (${[...uploaded.errors].join('; ')}). Send them again with "kube-job-detector deadletter resend".`}`,
        );
      }
      return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
    },
    deadLettered: () => uploaded.deadLettered,
  };
}

async function startProgress(
  paths: readonly string[],
  stderr: NodeJS.WritableStream & { isTTY?: boolean },
): Promise<{ tick: (bytes: number) => void; stop: () => void } | undefined> {
  if (stderr.isTTY !== true) return undefined;
  const total = await totalInputBytes(paths);
  if (total < PROGRESS_THRESHOLD_BYTES) return undefined;
  const bar = new SingleBar(
    { stream: stderr, format: 'scanning [{bar}] {percentage}% | {value}/{total} MB', hideCursor: true },
    Presets.shades_classic,
  );
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
function writeSuppressed(
  rows: readonly SuppressedFinding[],
  format: ScanOptions['format'],
  out: NodeJS.WritableStream,
): void {
  if (format === 'jsonl') {
    for (const row of rows)
      out.write(
        `${JSON.stringify({ suppressedBy: row.exceptionId, reason: row.reason, finding: row.finding })}\n`,
      );
    return;
  }
  out.write(`\nSuppressed by exceptions:${rows.length === 0 ? ' none.' : ''}\n`);
  if (rows.length > 0)
    out.write(
      formatTable(
        rows.map((r) => r.finding),
        rows.map((r) => r.exceptionId),
      ),
    );
}
