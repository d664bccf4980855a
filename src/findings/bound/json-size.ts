/**
 * Sizes in UTF-8 bytes of what the row serialiser writes. Measured on `JSON.stringify`'s own
 * output: V8's native serialiser is two to three times faster than walking the value in
 * JavaScript, and far more on the cold path findings take (a few per million records, so their
 * code never gets optimised). The copy it makes is bounded by the record, itself within a body.
 */

/** UTF-8 size of `JSON.stringify(text)`: lone surrogates are written as `\uXXXX`, as the row is. */
export function jsonStringBytes(text: string): number {
  return Buffer.byteLength(JSON.stringify(text));
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
