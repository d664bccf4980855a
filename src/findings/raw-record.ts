import { errorText } from '../util/error-text.js';
/** Keeps a record for the `RawRecord` column within a byte budget; never throws on hostile input. */
export function boundRawRecord(record: unknown, maxBytes: number): { value: unknown; truncated: boolean } {
  let json: string;
  try {
    json = JSON.stringify(record) ?? 'null';
  } catch (error) {
    return {
      value: `unserialisable record: ${errorText(error)}`,
      truncated: true,
    };
  }
  if (Buffer.byteLength(json, 'utf8') <= maxBytes) return { value: record, truncated: false };
  // Cut on a character boundary: a dangling surrogate would make the row invalid UTF-8.
  let cut = Buffer.from(json, 'utf8').subarray(0, maxBytes).toString('utf8');
  if (cut.endsWith('\uFFFD')) cut = cut.slice(0, -1);
  return { value: cut, truncated: true };
}
