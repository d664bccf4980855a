import { oneByOne, type InputItem } from '../inputs/read-inputs.js';
import type { LogAnalyticsQuery } from '../azure/log-query-client.js';
import { HUNT_TABLES, huntQuery, type HuntTable } from '../hunt/hunt-query.js';
import { emptyNotes, huntPages, type HuntNotes, type HuntPlan, type LogQueryPort } from '../hunt/hunt.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { runDetection, type ScanOptions } from './scan-command.js';

export interface HuntOptions extends ScanOptions {
  readonly workspace: string;
  readonly days: number;
  readonly tables: string[];
  readonly maxRows: number;
  readonly sliceHours: number;
  readonly narrow: boolean;
  readonly endpoint?: string;
}

const DAY_MS = 86_400_000;
/** The longest interactive retention a workspace can have (service limits, "Data collection volume and retention"). */
const MAX_DAYS = 730;
/** The query API returns at most 500,000 records per query; stay below it. */
const MAX_ROWS_CAP = 500_000;
const MIN_SLICE_MS = 60_000;

/**
 * `hunt`: were we already hit? Queries a Log Analytics workspace for the last N days and runs the
 * rows through the same detector as `scan`. The Azure SDK is imported only here, when the command
 * runs, so the other commands start without it.
 */
export interface HuntDeps {
  readonly now?: () => Date;
  /** The query client; by default the SDK's, signed in with DefaultAzureCredential. */
  readonly connect?: (
    options: HuntOptions,
  ) => Promise<LogQueryPort & { readonly throttledResponses: number }>;
}

export async function runHunt(
  options: HuntOptions,
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream & { isTTY?: boolean } },
  deps: HuntDeps = {},
): Promise<ExitCode> {
  const now = deps.now ?? (() => new Date());
  const problem = checkOptions(options);
  if (problem !== undefined) {
    io.stderr.write(`${problem}\n`);
    return EXIT.usage;
  }
  const end = now();
  const plan: HuntPlan = {
    tables: options.tables.length === 0 ? HUNT_TABLES : (options.tables as HuntTable[]),
    start: new Date(end.getTime() - options.days * DAY_MS),
    end,
    sliceMs: options.sliceHours * 3_600_000,
    maxRows: options.maxRows,
    minSliceMs: MIN_SLICE_MS,
    narrow: options.narrow,
  };
  const notes = emptyNotes();
  let client: (LogQueryPort & { readonly throttledResponses: number }) | undefined;
  return runDetection(
    { ...options, deadLetterSource: 'kube-job-detector hunt' },
    io,
    async () => {
      client = await (deps.connect ?? sdkClient)(options);
      return oneByOne(huntItems(client, plan, notes));
    },
    () => huntSummary(options.workspace, plan, notes, client?.throttledResponses ?? 0),
  );
}

/** Every row of every page as one body; windows that could not be read become input problems. */
export async function* huntItems(
  port: LogQueryPort,
  plan: HuntPlan,
  notes: HuntNotes,
): AsyncGenerator<InputItem> {
  for await (const page of huntPages(port, plan, notes)) {
    const where = `${page.table} ${page.window.start.toISOString()}..${page.window.end.toISOString()}`;
    for (const [row, body] of page.records.entries())
      yield { kind: 'body', body, origin: { file: where, event: row } };
  }
  for (const failure of notes.failures)
    yield { kind: 'problem', where: failure.where, message: failure.message };
}

export function huntSummary(workspace: string, plan: HuntPlan, notes: HuntNotes, throttled: number): string {
  const days = Math.round((plan.end.getTime() - plan.start.getTime()) / DAY_MS);
  const byTable = Object.entries(notes.rowsByTable)
    .map(([table, rows]) => `${table} ${rows}`)
    .join(', ');
  const lines = [
    `Hunted workspace ${workspace} from ${plan.start.toISOString()} to ${plan.end.toISOString()} (${days} days).`,
    `Rows read: ${notes.rowsRead}${byTable === '' ? '' : ` (${byTable})`} in ${notes.queries} queries.`,
  ];
  if (notes.splits.length > 0)
    lines.push(
      `Split ${notes.splits.length} time window(s) whose answer was over the query API's caps (at most 500,000 rows and ~100 MiB per answer; --max-rows ${plan.maxRows}):`,
      ...notes.splits.slice(0, 20).map((s) => `  ${s}`),
      ...(notes.splits.length > 20 ? [`  … and ${notes.splits.length - 20} more`] : []),
    );
  if (throttled > 0)
    lines.push(
      `Throttled ${throttled} time(s) (HTTP 429); each request was retried after the Retry-After the service asked for.`,
    );
  if (notes.missingTables.length > 0)
    lines.push(`Not in this workspace (skipped): ${notes.missingTables.join(', ')}.`);
  lines.push('Queries sent, per table (each time window sends the same with its own bounds):');
  for (const table of plan.tables)
    lines.push(
      ...huntQuery(table, plan, plan.maxRows, plan.narrow)
        .split('\n')
        .map((l, i) => (i === 0 ? `  ${l}` : `    ${l}`)),
    );
  return `${lines.join('\n')}\n`;
}

async function sdkClient(options: HuntOptions): Promise<LogAnalyticsQuery> {
  const [{ LogAnalyticsQuery }, { DefaultAzureCredential }] = await Promise.all([
    import('../azure/log-query-client.js'),
    import('@azure/identity'),
  ]);
  return new LogAnalyticsQuery({
    credential: new DefaultAzureCredential(),
    workspaceId: options.workspace,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
  });
}

function checkOptions(options: HuntOptions): string | undefined {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(options.workspace))
    return `--workspace must be the workspace id (a GUID, "Workspace ID" on the workspace's overview page), got "${options.workspace.slice(0, 100)}"`;
  if (!Number.isInteger(options.days) || options.days < 1 || options.days > MAX_DAYS)
    return `--days must be a whole number from 1 to ${MAX_DAYS} (the longest interactive retention), got ${String(options.days)}`;
  if (!Number.isInteger(options.maxRows) || options.maxRows < 1 || options.maxRows >= MAX_ROWS_CAP)
    return `--max-rows must be a whole number from 1 to ${MAX_ROWS_CAP - 1} (the query API returns at most ${MAX_ROWS_CAP})`;
  if (!(options.sliceHours > 0)) return `--slice-hours must be positive`;
  const unknown = options.tables.filter((t) => !(HUNT_TABLES as readonly string[]).includes(t));
  if (unknown.length > 0)
    return `--table must be one of ${HUNT_TABLES.join(', ')}; got ${unknown.join(', ')}`;
  if (options.endpoint !== undefined && !/^https:\/\//.test(options.endpoint))
    return `--endpoint must be an https:// URL`;
  return undefined;
}
