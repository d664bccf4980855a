import { decodeBody } from '../decode/decode-body.js';
import { isRecord } from '../sigma/field-path.js';

/**
 * Stamps every record of a body with `now`, so replayed samples show up as recent. Audit records
 * get the audit Event's own timestamps rewritten too; ids are kept, so findings keep their ids.
 */
export function rewriteTimes(body: unknown, now: Date): { body: string; records: number } {
  const iso = now.toISOString();
  const { records } = decodeBody(body);
  for (const record of records) {
    if (typeof record['time'] === 'string') record['time'] = iso;
    const properties = record['properties'];
    if (!isRecord(properties)) continue;
    const log = properties['log'];
    const event = typeof log === 'string' ? tryParse(log) : log;
    if (!isRecord(event)) continue;
    for (const key of ['requestReceivedTimestamp', 'stageTimestamp'])
      if (typeof event[key] === 'string') event[key] = iso.replace('Z', '000Z');
    properties['log'] = typeof log === 'string' ? `${JSON.stringify(event)}\n` : event;
  }
  return { body: JSON.stringify({ records }), records: records.length };
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
