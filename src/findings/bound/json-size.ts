/** Characters JSON.stringify escapes: quote, backslash, controls (as \n or \u00XX), lone surrogates. */
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
  return Buffer.byteLength(text, 'utf8') + extra + 2;
}

/** UTF-8 size of `JSON.stringify(value)`, walking the value instead of serialising it. */
export function jsonBytes(value: unknown): number {
  if (typeof value === 'string') return jsonStringBytes(value);
  if (value === null || value === undefined) return 4;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value).length;
  if (Array.isArray(value)) {
    let n = 2 + Math.max(0, value.length - 1);
    for (const element of value) n += element === undefined ? 4 : jsonBytes(element);
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
