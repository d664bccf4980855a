/** Characters JSON.stringify escapes: quote, backslash, controls (as \n or \u00XX), lone surrogates. */
// eslint-disable-next-line no-control-regex -- control characters are what JSON escapes
const ESCAPED = /["\\\u0000-\u001f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** UTF-8 size of `JSON.stringify(text)`, without making that copy. */
export function jsonStringBytes(text: string): number {
  let extra = 0;
  ESCAPED.lastIndex = 0;
  for (let m = ESCAPED.exec(text); m !== null; m = ESCAPED.exec(text)) {
    const c = m[0].charCodeAt(0);
    if (c === 0x22 || c === 0x5c || c === 0x08 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d)
      extra += 1;
    else if (c < 0x20) extra += 5;
    else extra += 3; // a lone surrogate: \uXXXX (6 bytes) where UTF-8 would count 3
  }
  return Buffer.byteLength(text) + extra + 2;
}

/** UTF-8 size of `JSON.stringify(value)`, walking the value instead of serialising it. */
export function jsonBytes(value: unknown): number {
  if (typeof value === 'string') return jsonStringBytes(value);
  if (value === null || value === undefined) return 4;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value).length;
  if (Array.isArray(value)) {
    let n = 2 + Math.max(0, value.length - 1);
    // An undefined element is written as null, which jsonBytes counts.
    for (const element of value) n += jsonBytes(element);
    return n;
  }
  if (typeof value === 'object') {
    let n = 2;
    let first = true;
    for (const [key, child] of Object.entries(value)) {
      if (child === undefined) continue;
      n += (first ? 0 : 1) + jsonStringBytes(key) + 1 + jsonBytes(child);
      first = false;
    }
    return n;
  }
  return 0;
}

/**
 * UTF-8 size of `JSON.stringify(JSON.stringify(value))`: a record kept as JSON text in a string
 * column, whose quotes and backslashes are escaped once more. Walked, not serialised.
 */
export function jsonTextBytes(value: unknown): number {
  return jsonBytes(value) + 2 + escapedAgain(value);
}

/** Characters of a value's JSON text that escaping it as a string adds: a backslash before each quote and backslash. */
function escapedAgain(value: unknown): number {
  if (typeof value === 'string') return stringEscapedAgain(value);
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + escapedAgain(v), 0);
  if (typeof value !== 'object' || value === null) return 0;
  let n = 0;
  for (const [key, child] of Object.entries(value)) {
    if (child !== undefined) n += stringEscapedAgain(key) + escapedAgain(child);
  }
  return n;
}

const QUOTE_OR_BACKSLASH = /["\\]/g;

function stringEscapedAgain(text: string): number {
  // Its two delimiting quotes, the quotes and backslashes it holds, and the backslash of every
  // escape JSON wrote for it.
  return 2 + (text.match(QUOTE_OR_BACKSLASH)?.length ?? 0) + escapeCount(text);
}

/** Escapes JSON writes for a text: each starts with one backslash, however long it is. */
function escapeCount(text: string): number {
  ESCAPED.lastIndex = 0;
  let n = 0;
  while (ESCAPED.exec(text) !== null) n++;
  return n;
}
