import { escapeRegex } from '../util/escape-regex.js';
import { isRecord } from '../util/is-record.js';
import { LiteralSet } from '../util/literal-set/literal-set.js';
import { azureActivityRowShape } from './activity-log/shapes/azure-activity-row.js';
import { restEventDataShape } from './activity-log/shapes/rest-event-data.js';
import { aksAuditRowShape } from './kube-audit/shapes/aks-audit-row.js';
import { apiserverEventShape } from './kube-audit/shapes/apiserver-event.js';
import { azureDiagnosticsRowShape } from './kube-audit/shapes/azure-diagnostics-row.js';
import type { RecordShape } from './shape.js';

/** Every shape besides the export itself; each source's descriptor lists its own (`convertedShape`). */
export const RECORD_SHAPES: readonly RecordShape[] = [
  restEventDataShape,
  azureActivityRowShape,
  aksAuditRowShape,
  azureDiagnosticsRowShape,
  apiserverEventShape,
];

/** Keys of the containers below, which hold records of the shapes above. */
const ENVELOPE_MARKERS = ['"items"', '"tables"'];
const RECORD_MARKERS = RECORD_SHAPES.map((s) => s.marker);
const MARKERS = [...RECORD_MARKERS, ...ENVELOPE_MARKERS];
/** Every marker in one pass over a string body. */
const ANY_MARKER = new RegExp(MARKERS.map(escapeRegex).join('|'));
const RECORD_MARKER_SET = new LiteralSet(RECORD_MARKERS);
const ENVELOPE_MARKER_SET = new LiteralSet(ENVELOPE_MARKERS);
/** A body that opens so is an export envelope: its records are taken as they are, never as a container. */
const EXPORT_OPENING = Buffer.from('{"records":');

/**
 * Whether a body read from a file may hold a record of another shape than the export. Such a body
 * must not meet the raw-text prefilter, whose gates and per-`log` segments assume the export's
 * layout. A false "yes" only costs a parse; a "no" is certain, since every shape's `recognise`
 * requires its marker key, which unescaped JSON text then contains. Bytes are searched for every
 * marker as written in one pass (`LiteralSet`); the containers' keys are
 * searched only in a body that does not open as an export envelope, since `decodeBody` reads no
 * container inside one. (Event Hub and Capture bodies are the export by construction: Azure
 * writes them.)
 */
export function mayHoldOtherShape(body: string | Uint8Array): boolean {
  if (typeof body === 'string') return ANY_MARKER.test(body);
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (RECORD_MARKER_SET.occursIn(bytes)) return true;
  const envelope = bytes.subarray(0, EXPORT_OPENING.length).equals(EXPORT_OPENING);
  return !envelope && ENVELOPE_MARKER_SET.occursIn(bytes);
}

/**
 * Containers of shaped records: the webhook audit backend's `EventList`
 * (`{"kind":"EventList","items":[…]}`), and a Log Analytics query API answer
 * (`{"tables":[{"name","columns":[{"name","type"}],"rows":[[…]]}]}`, as documented in
 * https://learn.microsoft.com/azure/azure-monitor/logs/api/response-format). Undefined when
 * `value` is neither.
 */
export function shapeEnvelope(value: Record<string, unknown>): unknown[] | undefined {
  const items: unknown = value['items'];
  if (value['kind'] === 'EventList' && Array.isArray(items)) return items as unknown[];
  const tables = value['tables'];
  if (!Array.isArray(tables) || !tables.every(isQueryTable)) return undefined;
  return tables.flatMap((table) => rowsToRecords(table.columns, table.rows));
}

interface QueryTable {
  readonly columns: readonly { readonly name: string }[];
  readonly rows: readonly unknown[];
}

function isQueryTable(table: unknown): table is QueryTable {
  return (
    isRecord(table) &&
    Array.isArray(table['rows']) &&
    Array.isArray(table['columns']) &&
    table['columns'].every((c) => isRecord(c) && typeof c['name'] === 'string')
  );
}

/** Rows of a query result as records keyed by column name (`fromEntries`, so any name is data). */
export function rowsToRecords(
  columns: readonly { readonly name: string }[],
  rows: readonly unknown[],
): unknown[] {
  return rows.map((row) =>
    Array.isArray(row) ? Object.fromEntries(columns.map((column, i) => [column.name, row[i]])) : row,
  );
}
