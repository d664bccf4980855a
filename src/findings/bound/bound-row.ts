import type { FindingRow } from '../finding-row.js';
import { FINDING_SCHEMA } from '../schema.js';
import { boundValue } from './bound-value.js';
import { jsonBytes } from './json-size.js';
import type { LocateMatch } from './locate-match.js';

export interface RowLimits {
  /** Each string or dynamic column, as UTF-8 JSON. */
  readonly columnMaxBytes: number;
  /** The whole row, as UTF-8 JSON. */
  readonly rowMaxBytes: number;
}

/** Columns whose values come from the record, and so can be any size. */
const BOUNDED = FINDING_SCHEMA.columns.filter((c) => c.type === 'string' || c.type === 'dynamic');

/**
 * Enrichment is added after the row is built, from ARM (tags are the only part of any size): it
 * gets the smallest column cap there is, and room for it is kept in every row.
 */
export const ENRICHMENT_MAX_BYTES = 4096;

/** The smallest allowance a column is squeezed to when the whole row is too big. */
const MIN_COLUMN_BYTES = 1024;

/**
 * `originalBytes` gives the size of a column whose long strings were cut before the row was built
 * (so as not to copy them): the size of the value it came from. It is asked only of a column cut. Cuts every string and dynamic column to the column cap around what the rule matched, then, if
 * the row is still over the row cap, squeezes the largest columns further. Every column cut is
 * listed in `Truncated` with its original size; nothing is cut silently.
 */
export function boundRow(
  row: FindingRow,
  limits: RowLimits,
  locate: LocateMatch,
  originalBytes: (column: string) => number | undefined = () => undefined,
): FindingRow {
  const values = new Map<string, unknown>(Object.entries(row));
  const truncated = new Map<string, number>();
  const cut = (column: string, maxBytes: number): void => {
    const bounded = safeBound(values.get(column), maxBytes, locate);
    if (bounded.originalBytes === undefined) return;
    values.set(column, bounded.value);
    if (!truncated.has(column))
      truncated.set(column, Math.max(originalBytes(column) ?? 0, bounded.originalBytes));
  };
  for (const column of BOUNDED) if (column.name !== 'Truncated') cut(column.name, limits.columnMaxBytes);
  // Room for Truncated itself (one entry per bounded column at most) and for the enrichment to come.
  const reserve = 64 * BOUNDED.length + ENRICHMENT_MAX_BYTES;
  for (let pass = 0; pass < 2 * BOUNDED.length && rowBytes(values) + reserve > limits.rowMaxBytes; pass++) {
    const excess = rowBytes(values) + reserve - limits.rowMaxBytes;
    const largest = BOUNDED.map((c) => ({ name: c.name, size: jsonBytes(values.get(c.name)) }))
      .filter((c) => c.name !== 'Truncated')
      .sort((a, b) => b.size - a.size)[0];
    if (largest === undefined) break;
    cut(largest.name, Math.max(MIN_COLUMN_BYTES, largest.size - excess));
  }
  values.set('Truncated', Object.fromEntries(truncated));
  values.set('RawRecordTruncated', truncated.has('RawRecord'));
  return Object.fromEntries(values) as unknown as FindingRow;
}

function rowBytes(values: ReadonlyMap<string, unknown>): number {
  let n = 2;
  for (const [k, v] of values) n += k.length + 4 + jsonBytes(v);
  return n;
}

/** A value too deep to walk is replaced by what went wrong, and still listed as cut. */
function safeBound(value: unknown, maxBytes: number, locate: LocateMatch): ReturnType<typeof boundValue> {
  try {
    return boundValue(value, maxBytes, locate);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { value: `[cut: could not be bounded: ${reason.slice(0, 200)}]`, originalBytes: -1 };
  }
}
