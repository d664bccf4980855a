import type { WriteStream } from 'node:fs';
import { open as openFile, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import type { FindingRow } from '../findings/finding-row.js';
import { readInputBatches, totalInputBytes, type InputItem } from '../inputs/read-inputs.js';
import { addProblem, type InputProblem } from '../pipeline/batch-report.js';
import { systemClock } from '../util/clock.js';
import { Detector, type SuppressedFinding } from '../pipeline/detector.js';
import { loadRuleSetOrReport } from './load-rules-or-report.js';
import { readPartialSettings, SettingsError } from '../config/settings.js';
import type { FindingPolicy } from '../findings/finding-policy.js';
import { deliverFindings } from '../pipeline/deliver.js';
import { cliRuntime, DEFAULT_DEAD_LETTER_DIR, resendCommand } from './azure-wiring.js';
import { scanKey, UploadJournal } from './upload-journal.js';
import { formatSummary, tableHeader, tableLine } from './format-table.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { packageInfo } from '../package-info.js';
import { errorText } from '../util/error-text.js';
import { isRecord } from '../util/is-record.js';
import { rawStream, writeText } from './terminal-io.js';
import { checkClusterId, UNKNOWN_CLUSTER } from '../sources/kube-audit/shapes/apiserver-event.js';

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
  /** `--no-redact`: commander sets `redact: false`; REDACTION=off does the same. */
  readonly redact?: boolean;
  /** Who dead-lettered rows, as their entries say (default `kube-job-detector scan`). */
  readonly deadLetterSource?: string;
  /** The cluster of raw apiserver audit files: an ARM id or a name. */
  readonly clusterId?: string;
}

/** Rows are enriched and uploaded in groups of this many, so memory stays bounded on large scans. */
const FLUSH_ROWS = 500;

/** Table mode keeps at most this many suppressed lines to print after the findings; jsonl streams them all. */
const SUPPRESSED_TABLE_LINES = 10_000;

/** Inputs above this size get a progress bar when stderr is a terminal. */
const PROGRESS_THRESHOLD_BYTES = 16 * 1024 * 1024;

type ScanIo = { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream & { isTTY?: boolean } };

export async function runScan(paths: readonly string[], options: ScanOptions, io: ScanIo): Promise<ExitCode> {
  if (paths.filter((p) => p === '-').length > 1) {
    io.stderr.write('scan: "-" (stdin) can be given only once\n');
    return EXIT.usage;
  }
  return runDetection(
    options,
    io,
    async (progress) => {
      const tick = (await startProgress(paths, io.stderr, progress)) ?? undefined;
      // The detector is done with each body before it asks for the next.
      return readInputBatches(
        paths,
        tick === undefined ? { reuseBuffer: true } : { onBytes: tick, reuseBuffer: true },
      );
    },
    () => '',
    paths,
  );
}

/**
 * What `scan` and `hunt` share: the detector over a stream of bodies, then enrichment, upload,
 * printing and the summary. `open` is called once the settings are checked; `summary` adds the
 * caller's own lines (what was read, and from where).
 */
export async function runDetection(
  options: ScanOptions,
  io: ScanIo,
  /** The bodies in batches: each batch is gone through without an await per body. */
  open: (progress: ProgressHolder) => Promise<AsyncIterable<readonly InputItem[]>>,
  summary: () => string = () => '',
  /** The scanned files, when they can be read again: an interrupted upload of them resumes. */
  inputPaths?: readonly string[],
): Promise<ExitCode> {
  const loaded = await loadRuleSetOrReport(options.rules, io.stderr, { reportBroken: true });
  if (loaded === undefined) return EXIT.usage;
  const { ruleSet } = loaded;
  const info = packageInfo();
  const clusterProblem = options.clusterId === undefined ? undefined : checkClusterId(options.clusterId);
  if (clusterProblem !== undefined) {
    io.stderr.write(`${clusterProblem}\n`);
    return EXIT.usage;
  }
  let unknownCluster = 0;
  let azure: AzureStages;
  let policy: FindingPolicy;
  try {
    policy = findingPolicy(options);
    azure = azureStages(options, io.stderr);
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    io.stderr.write(`${error.message}\n`);
    return EXIT.usage;
  }
  let output: WriteStream | NodeJS.WritableStream = io.stdout;
  if (options.output !== undefined) {
    try {
      output = (await openFile(options.output, 'w')).createWriteStream();
    } catch (error) {
      io.stderr.write(`cannot write ${options.output}: ${errorText(error)}\n`);
      return EXIT.usage;
    }
  }
  const detector = new Detector({
    ruleSet,
    clock: systemClock,
    detectorVersion: info.version,
    findingPolicy: policy,
    ...(options.clusterId === undefined ? {} : { shapeContext: { clusterId: options.clusterId } }),
  });
  const progress: ProgressHolder = {};
  const items = await open(progress);
  const suppressed = suppressedWriter(options.format, io.stderr);
  const pending: FindingRow[] = [];
  // The report renderer and the progress bar are imported only when used, to keep start-up short.
  const htmlReport =
    options.report === undefined
      ? undefined
      : new (await import('../report/report-collector.js')).ReportCollector(options.report, () =>
          detector.report(),
        );
  const key =
    options.upload === true && inputPaths !== undefined
      ? await scanKey(inputPaths, options.rules, info.version)
      : undefined;
  const journal =
    key === undefined
      ? undefined
      : await UploadJournal.open(options.deadLetterDir ?? DEFAULT_DEAD_LETTER_DIR, key);
  let group = 0;
  let written = 0;
  // Both formats stream: a table line has fixed widths, so no row is held once it is written.
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    const current = group++;
    const rows = await azure.process(pending.splice(0), journal?.isDone(current) !== true);
    await journal?.markDone(current);
    htmlReport?.rows(rows);
    for (const row of rows) {
      if (options.clusterId === undefined && row.ClusterName === UNKNOWN_CLUSTER) unknownCluster++;
      const line =
        options.format === 'jsonl'
          ? JSON.stringify(row)
          : `${written === 0 ? `${tableHeader(false)}\n` : ''}${tableLine(row)}`;
      written++;
      await writeText(output, `${line}\n`);
    }
  };
  const fileProblems: InputProblem[] = [];

  for await (const batch of items)
    for (const item of batch) {
      if (item.kind === 'problem') {
        fileProblems.push({ where: item.where, message: item.message });
        htmlReport?.unreadable(item.where);
        continue;
      }
      htmlReport?.body(item.origin);
      const result = detector.processBody(item);
      htmlReport?.suppressed(result.suppressed);
      if (options.showSuppressed === true) for (const s of result.suppressed) suppressed.add(s);
      pending.push(...result.findings);
      if (pending.length >= FLUSH_ROWS) await flush();
    }
  await flush();
  progress.stop?.();
  if (options.format === 'table' && written === 0) await writeText(output, 'No findings.\n');
  if (options.showSuppressed === true) suppressed.finish(output);
  if (output !== io.stdout) {
    (output as WriteStream).end();
    await once(output, 'finish');
  }

  await journal?.finish();
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
    io.stderr.write(summary());
    if (unknownCluster > 0) io.stderr.write(unknownClusterHint(unknownCluster));
  }
  if (report.unreadable > 0) return EXIT.partialInput;
  if (azure.deadLettered() > 0) return EXIT.deadLettered;
  return ruleSet.notLoaded.length > 0 ? EXIT.rulesNotLoaded : EXIT.ok;
}

interface AzureStages {
  /** `upload` false: an interrupted run of this scan delivered these rows already. */
  process(rows: FindingRow[], upload: boolean): Promise<FindingRow[]>;
  summary(): string;
  deadLettered(): number;
}

/** `--enrich` and `--upload` run the function's delivery stage on the scanned findings. */
function azureStages(options: ScanOptions, stderr: NodeJS.WritableStream): AzureStages {
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
  let warnedUnauthenticated = false;
  /** Once per scan, not once per finding: every lookup fails the same way without a sign-in. */
  const warnUnauthenticated = (rows: readonly FindingRow[]): void => {
    if (warnedUnauthenticated) return;
    const reason = rows
      .map((r) => r.Enrichment)
      .find((e) => isRecord(e) && e['status'] === 'unauthenticated');
    if (reason === undefined) return;
    warnedUnauthenticated = true;
    stderr.write(
      `--enrich: cannot sign in to Azure, findings carry Enrichment.status "unauthenticated" (${String(reason['reason'])})\n`,
    );
  };
  const uploaded = {
    uploaded: 0,
    deadLettered: 0,
    resumed: 0,
    entries: [] as string[],
    errors: new Set<string>(),
  };
  return {
    async process(rows, upload) {
      if (runtime === undefined) return rows;
      if (!upload) uploaded.resumed += rows.length;
      const delivery = await deliverFindings(
        rows,
        upload ? runtime : { ...runtime, sink: undefined, deadLetter: undefined },
        { source: options.deadLetterSource ?? 'kube-job-detector scan' },
      );
      if (delivery.enrichment !== 'disabled')
        for (const [status, n] of Object.entries(delivery.enrichment.byStatus))
          enrichment[status] = (enrichment[status] ?? 0) + n;
      warnUnauthenticated(delivery.rows);
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
      if (uploaded.resumed > 0)
        lines.push(
          `Resumed an interrupted upload: ${uploaded.resumed} finding(s) it had delivered were not sent again.`,
        );
      if (upload) {
        lines.push(
          `Uploaded ${uploaded.uploaded} finding(s)${uploaded.deadLettered === 0 ? '.' : `; dead-lettered ${uploaded.deadLettered} in ${uploaded.entries.join(', ')} (${[...uploaded.errors].join('; ')}). Send them again with "${resendCommand(options)}".`}`,
        );
      }
      return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
    },
    deadLettered: () => uploaded.deadLettered,
  };
}

interface ProgressHolder {
  stop?: () => void;
}

async function startProgress(
  paths: readonly string[],
  stderr: NodeJS.WritableStream & { isTTY?: boolean },
  holder: ProgressHolder,
): Promise<((bytes: number) => void) | undefined> {
  if (stderr.isTTY !== true) return undefined;
  const total = await totalInputBytes(paths);
  if (total < PROGRESS_THRESHOLD_BYTES) return undefined;
  const { SingleBar, Presets } = await import('cli-progress');
  const bar = new SingleBar(
    {
      stream: rawStream(stderr),
      format: 'scanning [{bar}] {percentage}% | {value}/{total} MB',
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  const totalMb = Math.ceil(total / 1_048_576);
  let bytes = 0;
  bar.start(totalMb, 0);
  holder.stop = () => {
    // Byte counts of decoded Avro bodies fall short of the files' sizes: the end is the end.
    bar.update(totalMb);
    bar.stop();
  };
  return (n) => {
    bytes += n;
    bar.update(Math.min(totalMb, Math.floor(bytes / 1_048_576)));
  };
}

/**
 * Suppressed findings never mix with the rows that would be uploaded: in jsonl mode they go to
 * stderr as they come; in table mode only their formatted lines are kept, to follow the findings.
 */
function suppressedWriter(
  format: ScanOptions['format'],
  stderr: NodeJS.WritableStream,
): { add(s: SuppressedFinding): void; finish(out: NodeJS.WritableStream): void } {
  const lines: string[] = [];
  let omitted = 0;
  return {
    add(s) {
      if (format === 'jsonl')
        stderr.write(
          `${JSON.stringify({ suppressedBy: s.exceptionId, reason: s.reason, finding: s.finding })}\n`,
        );
      else if (lines.length < SUPPRESSED_TABLE_LINES) lines.push(tableLine(s.finding, s.exceptionId));
      else omitted++;
    },
    finish(out) {
      if (format === 'jsonl') return;
      out.write(`\nSuppressed by exceptions:${lines.length === 0 ? ' none.' : ''}\n`);
      if (lines.length > 0) out.write(`${[tableHeader(true), ...lines].join('\n')}\n`);
      if (omitted > 0)
        out.write(`… and ${omitted} more, not listed in table mode; --format jsonl lists them all.\n`);
    },
  };
}

/** REDACTION and FINDING_COLUMN_MAX_BYTES as the function reads them; `--no-redact` turns redaction off. */
function findingPolicy(options: ScanOptions): FindingPolicy {
  const { findings } = readPartialSettings(process.env, ['findings']);
  return options.redact === false ? { ...findings, redaction: 'off' } : findings;
}

export function unknownClusterHint(findings: number): string {
  return `${findings} finding(s) came from raw apiserver audit events, which name no cluster (ClusterName "${UNKNOWN_CLUSTER}"): pass --cluster-id <ARM resource id or cluster name> to name it.\n`;
}
