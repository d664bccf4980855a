import { isRecord } from '../util/is-record.js';
import { errorText } from '../util/error-text.js';
import { utf8Text } from '../util/utf8-text.js';
import { shapeEnvelope } from '../sources/shapes.js';
import { recordSpans, type RecordSpan, type RecordSpans } from './record-spans.js';

/**
 * One Event Hub body: a `{"records": [...]}` envelope, a single record, or an array of either,
 * delivered as a Buffer, a string or an already-parsed value.
 */
export interface DecodedBody {
  readonly records: Record<string, unknown>[];
  readonly problems: string[];
  /** Each record's element index, when elements before it were not read (an envelope read record by record). */
  readonly elements?: readonly number[];
}

export function decodeBody(body: unknown): DecodedBody {
  const records: Record<string, unknown>[] = [];
  const problems: string[] = [];
  let value: unknown;
  if (typeof body === 'string' || body instanceof Uint8Array) {
    const parsed = parseJson(typeof body === 'string' ? body : utf8Text(body));
    if (!parsed.ok) return salvage(body, parsed.message) ?? { records, problems: [parsed.message] };
    value = parsed.value;
  } else {
    value = body;
  }
  collect(value, records, problems, 'body', 0);
  return { records, problems };
}

export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  const trimmed = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (trimmed.trim() === '') return { ok: false, message: 'empty body' };
  try {
    return { ok: true, value: JSON.parse(trimmed) };
  } catch (error) {
    return { ok: false, message: `not JSON: ${errorText(error)}` };
  }
}

/**
 * The records of an export envelope that does not parse as a whole, each parsed on its own: one
 * bad record (or a cut end) costs only itself. Undefined when the body is no such envelope, or
 * holds no whole record.
 */
function salvage(body: string | Uint8Array, message: string): DecodedBody | undefined {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const found = recordSpans(bytes);
  if (found === undefined || found.spans.length === 0) return undefined;
  const records: Record<string, unknown>[] = [];
  const elements: number[] = [];
  const unread: string[] = [];
  found.spans.forEach((span, i) => {
    const read = parseSpan(bytes, span);
    if (read.ok) {
      records.push(read.record);
      elements.push(i);
    } else unread.push(`body.records[${i}]: ${read.message}`);
  });
  const rest = brokenEnd(found);
  const summary = `${message}; read record by record: ${records.length} of ${found.spans.length} read${rest === undefined ? '' : `; ${rest}`}`;
  return { records, problems: [summary, ...unread], elements };
}

/** One record of an envelope, from its bytes (`recordSpans`). */
export function parseSpan(
  bytes: Uint8Array,
  [start, end]: RecordSpan,
): { ok: true; record: Record<string, unknown> } | { ok: false; message: string } {
  const parsed = parseJson(utf8Text(bytes.subarray(start, end)));
  // A span opens with `{`, so what parses is an object.
  return parsed.ok ? { ok: true, record: parsed.value as Record<string, unknown> } : parsed;
}

/** What is said of an envelope that stops being JSON after its last whole record. */
export function brokenEnd({ spans, brokenAt }: RecordSpans): string | undefined {
  return brokenAt === undefined
    ? undefined
    : `not JSON from byte ${brokenAt} (after ${spans.length} whole record(s)): the rest is not read`;
}

function collect(
  value: unknown,
  records: Record<string, unknown>[],
  problems: string[],
  where: string,
  depth: number,
): void {
  if (Array.isArray(value)) {
    // An array of envelopes or records; deeper nesting is not a shape any exporter writes.
    if (depth > 1) {
      problems.push(`${where}: nested array is not a record`);
      return;
    }
    value.forEach((element, i) => collect(element, records, problems, `${where}[${i}]`, depth + 1));
    return;
  }
  if (!isRecord(value)) {
    problems.push(`${where}: ${value === null ? 'null' : typeof value} is not a record`);
    return;
  }
  if (Object.hasOwn(value, 'records')) {
    const inner = value['records'];
    if (!Array.isArray(inner)) {
      problems.push(`${where}.records: expected an array, got ${inner === null ? 'null' : typeof inner}`);
      return;
    }
    inner.forEach((record, i) => {
      if (isRecord(record)) records.push(record);
      else
        problems.push(
          `${where}.records[${i}]: ${record === null ? 'null' : Array.isArray(record) ? 'array' : typeof record} is not a record`,
        );
    });
    return;
  }
  const items = shapeEnvelope(value);
  if (items !== undefined) {
    items.forEach((item, i) => {
      if (isRecord(item)) records.push(item);
      else problems.push(`${where}.items[${i}]: ${item === null ? 'null' : typeof item} is not a record`);
    });
    return;
  }
  records.push(value);
}
