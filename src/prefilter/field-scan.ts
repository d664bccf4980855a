/**
 * Finds, without parsing, the values of a few string fields of the events a body embeds as JSON
 * strings (an AKS record's `"log":"{\"verb\":\"get\",…}"`), so most records can be ruled out from
 * their escaped text. Written by hand because no JSON library reads a value out of a string
 * nested in a string without decoding both.
 *
 * The scan is exact by refusing: every key whose name ends in a field's last path segment is
 * classified, and any spelling it cannot read (another escape level, as when `properties` is
 * itself a JSON string; a non-string value; an escape inside the key) makes the whole body
 * undecidable, so it is parsed. A value with an escape or a non-ASCII character is kept as
 * `undefined`, which can match anything.
 */

/** A field the scan reads, by its Sigma name and the key that ends its path (`objectRef.resource` → `resource`). */
export interface ScanField {
  readonly name: string;
  readonly leaf: string;
}

/** One key of a scanned field, found at the embedded strings' escape level, and its value. */
export interface FieldToken {
  readonly field: number;
  readonly at: number;
  /** The value's text; undefined when the scan cannot read it exactly. */
  readonly value: string | undefined;
}

/** The text between two embedded-string keys: one record's embedded event, plus envelope text. */
export interface Region {
  /** Where the embedded string's content starts, or -1 for the text before the first one. */
  readonly content: number;
  readonly end: number;
  readonly tokens: readonly FieldToken[];
}

export const UNDECIDABLE = 'undecidable';

const BACKSLASH = 0x5c;
const QUOTE = 0x22;

export function scanRegions(
  text: string,
  embeddedKey: string,
  fields: readonly ScanField[],
): Region[] | typeof UNDECIDABLE {
  const tokens = scanTokens(text, fields);
  if (tokens === UNDECIDABLE) return UNDECIDABLE;
  // A `"key":"` with raw quotes starts a string at the body's own level: no string contains it,
  // so every string of the body, and every token in it, lies in one region.
  const opener = `"${embeddedKey}":"`;
  const starts: number[] = [];
  for (let at = text.indexOf(opener); at >= 0; at = text.indexOf(opener, at + opener.length)) starts.push(at);
  const regions: Region[] = [];
  let next = 0;
  for (let i = -1; i < starts.length; i++) {
    const begin = i < 0 ? 0 : (starts[i] as number);
    const end = starts[i + 1] ?? text.length;
    const own: FieldToken[] = [];
    while (next < tokens.length && (tokens[next] as FieldToken).at < end)
      own.push(tokens[next++] as FieldToken);
    regions.push({ content: i < 0 ? -1 : begin + opener.length, end, tokens: own });
  }
  return regions;
}

/** Every key of the fields at escape level 1, in text order, each with `field` its index in `fields`. */
export function scanTokens(text: string, fields: readonly ScanField[]): FieldToken[] | typeof UNDECIDABLE {
  const tokens: FieldToken[] = [];
  for (const [index, field] of fields.entries())
    if (!collectTokens(text, index, field.leaf, tokens)) return UNDECIDABLE;
  return fields.length > 1 ? tokens.sort((a, b) => a.at - b.at) : tokens;
}

/**
 * The region around `at`: from the embedded-string key before it to the next one. Its tokens are
 * gathered from its own text only, so a body with one suspect record is not searched whole again.
 */
export function regionAround(
  text: string,
  embeddedKey: string,
  fields: readonly ScanField[],
  at: number,
): Region | typeof UNDECIDABLE {
  const opener = `"${embeddedKey}":"`;
  const start = text.lastIndexOf(opener, at);
  const next = text.indexOf(opener, at);
  const end = next < 0 ? text.length : next;
  const from = start < 0 ? 0 : start;
  const tokens: FieldToken[] = [];
  for (const [index, field] of fields.entries())
    if (!collectTokens(text, index, field.leaf, tokens, from, end)) return UNDECIDABLE;
  tokens.sort((a, b) => a.at - b.at);
  return { content: start < 0 ? -1 : start + opener.length, end, tokens };
}

/**
 * Where the JSON string whose content starts at `content` ends (its closing quote), or -1.
 * Only called for the few records that survive the scan: it steps through every escaped quote.
 */
export function stringEnd(text: string, content: number, limit: number): number {
  for (let at = text.indexOf('"', content); at >= 0 && at < limit; at = text.indexOf('"', at + 1)) {
    if (backslashesBefore(text, at) % 2 === 0) return at;
  }
  return -1;
}

/** Records each key ending in `leaf` at escape level 1; false when one cannot be read exactly. */
function collectTokens(
  text: string,
  field: number,
  leaf: string,
  out: FieldToken[],
  from = 0,
  to = text.length,
): boolean {
  for (let at = text.indexOf(leaf, from); at >= 0 && at < to; at = text.indexOf(leaf, at + 1)) {
    const after = at + leaf.length;
    let run = 0;
    while (text.charCodeAt(after + run) === BACKSLASH) run++;
    // Not followed by a quote at any level: a longer word (`resourceVersion`) or an escape (`\n`).
    if (text.charCodeAt(after + run) !== QUOTE) continue;
    const next = text.charCodeAt(after + run + 1);
    const closesKey = next === 0x3a; /* : */
    const closesValue = next === 0x2c || next === 0x7d || next === 0x5d; /* , } ] */
    if (closesValue) continue;
    // A key whose name has `leaf` as its last dotted part; `subresource` is another field's key.
    const before = text.charCodeAt(at - 1);
    const dotted = before === 0x2e; /* . */
    const whole = before === QUOTE;
    if (!dotted && !whole) continue;
    if (!closesKey || run !== 1) return false;
    if (whole && backslashesBefore(text, at - 1) !== 1) return false;
    if (dotted && !dottedKeyAtLevelOne(text, at - 1)) return false;
    // `:\"` — a string value at the same level; anything else (number, list, spacing) is not read.
    if (!text.startsWith(':\\"', after + run + 1)) return false;
    const valueStart = after + run + 4;
    const valueEnd = text.indexOf('\\', valueStart);
    if (valueEnd < 0) return false;
    const value = text.slice(valueStart, valueEnd);
    const exact = text.charCodeAt(valueEnd + 1) === QUOTE && /^[\x20-\x7e]*$/.test(value);
    out.push({ field, at, value: exact ? value : undefined });
  }
  return true;
}

/** The key around `dot` (as in `\"objectRef.resource\"`) opens with a level-1 quote and holds no escape. */
function dottedKeyAtLevelOne(text: string, dot: number): boolean {
  const open = text.lastIndexOf('"', dot);
  if (open < 0 || backslashesBefore(text, open) !== 1) return false;
  const name = text.slice(open + 1, dot);
  return !name.includes('\\');
}

function backslashesBefore(text: string, at: number): number {
  let run = 0;
  while (at - run - 1 >= 0 && text.charCodeAt(at - run - 1) === BACKSLASH) run++;
  return run;
}
