/**
 * Sizes in UTF-8 bytes of what the row serialiser writes. Measured on `JSON.stringify`'s own
 * output: V8's native serialiser is two to three times faster than walking the value in
 * JavaScript, and far more on the cold path findings take (a few per million records, so their
 * code never gets optimised). It makes a copy, so a text that cannot fit is ruled out by its
 * length first (`fitsJsonString`): a huge hostile string is never serialised whole.
 */

/** UTF-8 size of `JSON.stringify(text)`: lone surrogates are written as `\uXXXX`, as the row is. */
export function jsonStringBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text));
}

/** The most UTF-8 bytes of JSON one UTF-16 unit is written as: `\uXXXX` (a character takes at most 3, a pair 4). */
const MAX_JSON_BYTES_PER_UNIT = 6;

/**
 * Whether `JSON.stringify(text)` fits in `maxBytes` of UTF-8. Its JSON takes at least one byte per
 * UTF-16 unit plus two quotes, so a longer text is ruled out without copying it.
 */
export function fitsJsonString(text: string, maxBytes: number): boolean {
  // No UTF-16 unit takes more than six bytes (`\u001f`): a text that fits even so is not copied.
  if (text.length * MAX_JSON_BYTES_PER_UNIT + 2 <= maxBytes) return true;
  return text.length + 2 <= maxBytes && jsonStringBytes(text) <= maxBytes;
}

/** UTF-8 size of `JSON.stringify(value)`; `undefined` counts as the `null` an array would hold. */
export function jsonBytes(value: unknown): number {
  const text = JSON.stringify(value) as string | undefined;
  return text === undefined ? 4 : Buffer.byteLength(text);
}

/**
 * UTF-8 size of `JSON.stringify(JSON.stringify(value))`: a record kept as JSON text in a string
 * column, whose quotes and backslashes are escaped once more.
 */
export function jsonTextBytes(value: unknown): number {
  return jsonStringBytes(JSON.stringify(value) ?? 'null');
}
