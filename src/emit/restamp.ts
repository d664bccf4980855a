import { decodeBody } from '../decode/decode-body.js';
import { recogniseRecord } from '../sources/recognise.js';

/**
 * Stamps every record of a body with `now`, so samples sent again show up as recent. Each source
 * restamps its own event times too; ids are kept, so findings keep their ids.
 */
export function restampBody(body: unknown, now: Date): { body: string; records: number } {
  const iso = now.toISOString();
  const { records } = decodeBody(body);
  for (const record of records) {
    // Every Azure resource-log record has a top-level `time`, whatever its source.
    if (typeof record['time'] === 'string') record['time'] = iso;
    recogniseRecord(record)?.source.restamp(record, iso);
  }
  return { body: JSON.stringify({ records }), records: records.length };
}
