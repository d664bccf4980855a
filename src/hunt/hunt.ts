import { rowsToRecords } from '../sources/shapes.js';
import { huntQuery, type HuntTable, type QueryWindow } from './hunt-query.js';

/** A query answer in the API's terms: columns and rows, and the error of a partial result. */
export interface QueryAnswer {
  readonly columns: readonly { readonly name: string }[];
  readonly rows: readonly unknown[];
  /** `code: message` of a partial failure, such as a result over the API's record or size cap. */
  readonly partialError?: string;
}

/** The workspace has no such table (it never received that kind of log): skipped, and said so. */
export class MissingTableError extends Error {}

/** The Log Analytics query API, behind the smallest interface the hunt needs. */
export interface LogQueryPort {
  query(kql: string, window: QueryWindow): Promise<QueryAnswer>;
}

export interface HuntPlan {
  readonly tables: readonly HuntTable[];
  readonly start: Date;
  readonly end: Date;
  /** Length of the first windows; a window whose answer is over a cap is halved. */
  readonly sliceMs: number;
  /** Rows one query may return before its window is split (below the API's 500,000). */
  readonly maxRows: number;
  /** Windows are not split below this; a smaller window over the cap is reported. */
  readonly minSliceMs: number;
  readonly narrow: boolean;
}

export interface HuntPage {
  readonly table: HuntTable;
  readonly window: QueryWindow;
  readonly records: readonly unknown[];
}

export interface HuntNotes {
  rowsRead: number;
  readonly rowsByTable: Partial<Record<HuntTable, number>>;
  queries: number;
  readonly splits: string[];
  readonly missingTables: HuntTable[];
  readonly failures: { readonly where: string; readonly message: string }[];
}

export function emptyNotes(): HuntNotes {
  return { rowsRead: 0, rowsByTable: {}, queries: 0, splits: [], missingTables: [], failures: [] };
}

/**
 * Pages through every table over the plan's time range, one window at a time, oldest first. A
 * window whose answer is over the row cap, or that the service cut short (a partial result), is
 * dropped unread and its halves queried instead, and the split is noted; only whole answers are
 * handed on, so no row is read twice and none is silently missing.
 */
export async function* huntPages(
  port: LogQueryPort,
  plan: HuntPlan,
  notes: HuntNotes,
): AsyncGenerator<HuntPage> {
  for (const table of plan.tables) {
    const pending: QueryWindow[] = sliceRange(plan.start, plan.end, plan.sliceMs).reverse();
    while (pending.length > 0) {
      const window = pending.pop() as QueryWindow;
      const where = `${table} ${window.start.toISOString()}..${window.end.toISOString()}`;
      let answer: QueryAnswer;
      try {
        notes.queries++;
        answer = await port.query(huntQuery(table, window, plan.maxRows, plan.narrow), window);
      } catch (error) {
        if (error instanceof MissingTableError) {
          notes.missingTables.push(table);
          break;
        }
        const message = error instanceof Error ? error.message : String(error);
        notes.failures.push({ where, message: message.slice(0, 500) });
        continue;
      }
      const over = answer.rows.length > plan.maxRows;
      if (over || answer.partialError !== undefined) {
        const why = over
          ? `more than ${plan.maxRows} rows`
          : `a partial result (${answer.partialError?.slice(0, 300) ?? ''})`;
        const length = window.end.getTime() - window.start.getTime();
        if (length / 2 >= plan.minSliceMs) {
          const middle = new Date(window.start.getTime() + Math.floor(length / 2));
          pending.push({ start: middle, end: window.end }, { start: window.start, end: middle });
          notes.splits.push(`${where} returned ${why}: split in two`);
          continue;
        }
        notes.failures.push({
          where,
          message: `returned ${why} in a window of ${Math.round(length / 1000)} s; only the first ${Math.min(answer.rows.length, plan.maxRows)} rows were read (raise --max-rows)`,
        });
      }
      const rows = answer.rows.slice(0, plan.maxRows);
      notes.rowsRead += rows.length;
      notes.rowsByTable[table] = (notes.rowsByTable[table] ?? 0) + rows.length;
      yield { table, window, records: rowsToRecords(answer.columns, rows) };
    }
  }
}

function sliceRange(start: Date, end: Date, sliceMs: number): QueryWindow[] {
  const windows: QueryWindow[] = [];
  for (let at = start.getTime(); at < end.getTime(); at += sliceMs)
    windows.push({ start: new Date(at), end: new Date(Math.min(at + sliceMs, end.getTime())) });
  return windows;
}
