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

import { textLiteral } from '../util/text-literal.js';

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
  searches?: readonly LeafSearch[],
): Region | typeof UNDECIDABLE {
  const { from, content, end } = regionBounds(text, embeddedKey, at);
  const tokens: FieldToken[] = [];
  for (const [index, field] of fields.entries())
    if (!collectTokens(text, index, field.leaf, tokens, from, end, searches?.[index])) return UNDECIDABLE;
  tokens.sort((a, b) => a.at - b.at);
  return { content, end, tokens };
}

/** Where the region around `at` starts and ends, and where its embedded string's content starts (-1: none). */
export function regionBounds(
  text: string,
  embeddedKey: string,
  at: number,
): { readonly from: number; readonly content: number; readonly end: number } {
  const opener = textLiteral(`"${embeddedKey}":"`);
  const start = text.lastIndexOf(opener.literal, at);
  const next = opener.indexIn(text, at);
  return {
    from: start < 0 ? 0 : start,
    content: start < 0 ? -1 : start + opener.literal.length,
    end: next < 0 ? text.length : next,
  };
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

/**
 * Where a search for a leaf last started and what it found first (-1: nothing): regions are read
 * in text order, and a leaf absent from many of them would otherwise be searched for to the end
 * of the body from each.
 */
export interface LeafSearch {
  from: number;
  first: number;
}

/** One fresh search memo per field, for reading one body's regions in text order. */
export function leafSearches(fields: readonly ScanField[]): LeafSearch[] {
  return fields.map(() => ({ from: Infinity, first: -1 }));
}

/** Records each key ending in `leaf` at escape level 1; false when one cannot be read exactly. */
export function collectTokens(
  text: string,
  field: number,
  leaf: string,
  out: FieldToken[],
  from = 0,
  to = text.length,
  last?: LeafSearch,
): boolean {
  const known = last !== undefined && from >= last.from && (last.first < 0 || last.first >= from);
  // Where the search that found `at` started: `at` is the first key at or after it.
  let searchedFrom = known ? last.from : from;
  let at = known ? last.first : text.indexOf(leaf, from);
  for (; at >= 0 && at < to; searchedFrom = at + 1, at = text.indexOf(leaf, searchedFrom)) {
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
  // The search that ended the loop found the key beyond `to`: the next region starts from it.
  if (last !== undefined) {
    last.from = searchedFrom;
    last.first = at;
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

/** Where a literal found in a body lies, seen from the embedded events' escape level. */
export type AnchorPlace = 'field-value' | 'elsewhere' | 'unsure';

/**
 * Classifies literals found in one body by the JSON string around each, read backwards from the
 * literal: the value of a key whose last dotted part is `leaf` ('field-value'), surely not such a
 * value ('elsewhere': another key's value, or a key), or anything it cannot tell ('unsure', which
 * the caller treats like a value). Local reading is exact because escape levels show in the
 * backslashes before a quote: an embedded string opens with `\"` (one backslash), and every quote
 * inside it carries three or more. Literals must come in text order: what one walk learnt is
 * reused by the next, so a body costs one walk over its quotes however many literals it holds.
 */
export class AnchorReader {
  private lastAt = -1;
  private lastQuote = -1;
  private scanUntil = -1;
  private scanResult = -1;
  /** The last literal placed, and the first quote after it: a literal between them shares its string and its answer. */
  private placedAt = -1;
  private sameUntil = -1;
  private sameAnswer: AnchorPlace = 'unsure';

  constructor(
    private readonly text: string,
    private readonly leaf: string,
  ) {}

  place(at: number): AnchorPlace {
    // Thousands of literals in one long string would each search back to its opening quote.
    if (at > this.placedAt && at < this.sameUntil) return this.sameAnswer;
    const answer = this.classify(at);
    const next = this.text.indexOf('"', at);
    this.placedAt = at;
    this.sameUntil = next < 0 ? this.text.length : next;
    this.sameAnswer = answer;
    return answer;
  }

  private classify(at: number): AnchorPlace {
    const text = this.text;
    let quote = text.lastIndexOf('"', at - 1);
    let run = quote < 0 ? 0 : backslashesBefore(text, quote);
    // In a deeper string, only a plain value of a key one level down (`\\\"note\\\":\\\"…`) is
    // read: a list element, a spaced value or a string two levels down may be the field's value
    // in an event embedded once more, and a string closed after a backslash is no opener.
    if (run > 1 && run % 2 === 1 && (run !== 3 || text.charCodeAt(quote - run - 1) !== 0x3a) /* : */) {
      this.lastAt = -1;
      return 'unsure';
    }
    // Quotes nested deeper than the embedded events: the string around them is further back. Deeper
    // text may be an event embedded once more (`properties` itself a JSON string), so a value of
    // the field at any depth on the way is one the scan cannot read.
    while (quote >= 0 && run % 2 === 1 && run > 1) {
      if (quote < this.lastAt) {
        // Walked past the previous literal: from here on, its walk holds.
        quote = this.lastQuote;
        run = quote < 0 ? 0 : backslashesBefore(text, quote);
        break;
      }
      if (
        text.charCodeAt(quote - run - 1) === 0x3a /* : */ &&
        this.isLeaf(keyBefore(text, quote - run - 1, run))
      ) {
        // Forget this walk: the next literal must meet this value again rather than jump past it.
        this.lastAt = -1;
        return 'unsure';
      }
      quote = text.lastIndexOf('"', quote - run - 1);
      run = quote < 0 ? 0 : backslashesBefore(text, quote);
    }
    this.lastAt = at;
    this.lastQuote = quote;
    if (quote < 0 || (run !== 0 && run !== 1)) return 'unsure';
    const level = run === 1 ? 1 : 0;
    const before = text.charCodeAt(quote - level - 1);
    if (before === 0x3a /* : */) {
      const name = keyBefore(text, quote - level - 1, level);
      if (name === undefined) return 'unsure';
      if (!this.isLeaf(name)) return 'elsewhere';
      // A value of the field at the body's own level is an event the scan does not read (an object `log`).
      return level === 1 ? 'field-value' : 'unsure';
    }
    // After `{` or `,` the string may be a key, which is no field's value; in a list it may be one.
    if (before === 0x7b /* { */ || before === 0x2c /* , */) {
      const close = this.closingQuote(at, level);
      return close >= 0 && text.charCodeAt(close + 1) === 0x3a ? 'elsewhere' : 'unsure';
    }
    return 'unsure';
  }

  /** A key naming the field; a key that cannot be read might. */
  private isLeaf(name: string | undefined): boolean {
    return name === undefined || name === this.leaf || name.endsWith(`.${this.leaf}`);
  }

  /** The quote that closes, at `level`, the string holding `at`; -1 if none does. */
  private closingQuote(at: number, level: 0 | 1): number {
    // The previous literal's scan passed this one: it would meet the same quotes.
    if (at < this.scanUntil) return this.scanResult;
    const text = this.text;
    let q = text.indexOf('"', at);
    let close = -1;
    for (; q >= 0; q = text.indexOf('"', q + 1)) {
      const run = backslashesBefore(text, q);
      // A quote of this level (after content backslashes too: `jobs\\\\\"` closes at level 1)
      // closes the string; inside it, deeper quotes carry 3 (mod 4) backslashes at level 1, odd at 0.
      if (level === 0 ? run % 2 === 0 : run % 4 === 1) {
        close = q;
        break;
      }
      // A quote of a shallower level: the string did not close where the literal was thought to be.
      if (run % 2 !== level) break;
    }
    this.scanUntil = q < 0 ? text.length : q;
    this.scanResult = close;
    return close;
  }
}

/**
 * The name of the key whose `:` is at `colon`, its quotes preceded by `run` backslashes (0 at the
 * body's level, 1 at the embedded events', 3 one deeper); undefined if it cannot be read.
 */
function keyBefore(text: string, colon: number, run: number): string | undefined {
  const close = colon - 1;
  if (text.charCodeAt(close) !== QUOTE || backslashesBefore(text, close) !== run) return undefined;
  const open = text.lastIndexOf('"', close - run - 1);
  if (open < 0 || backslashesBefore(text, open) !== run) return undefined;
  const name = text.slice(open + 1, close - run);
  return name.includes('\\') ? undefined : name;
}

/**
 * Whether `token` is, for certain, the one value its field has in the event whose embedded string
 * content runs from `content` to `end`: its key is the first key of each object along the field's
 * path (`\"user\":{\"username\":…`, as the API server writes it), the path's first key stands at
 * the event's top level, and the region spells each key of the path before the leaf nowhere else,
 * whatever follows it (JSON.parse keeps the last of duplicate keys, and `\"user\" :` is one). Then
 * the field is not missing and holds this value, and the event need not be parsed to know it.
 * Anything else is not certain.
 */
export function atFieldPath(
  text: string,
  content: number,
  end: number,
  token: FieldToken,
  path: string,
): boolean {
  const parts = path.split('.');
  let key = token.at - 2; // the backslash of the key's opening `\"`
  if (text.charCodeAt(key) !== BACKSLASH || text.charCodeAt(key + 1) !== QUOTE) return false;
  for (let k = parts.length - 1; k >= 1; k--) {
    const object = key - 1;
    const name = `\\"${parts[k - 1] as string}\\"`;
    if (text.charCodeAt(object) !== 0x7b /* { */ || !text.startsWith(`${name}:`, object - name.length - 1))
      return false;
    key = object - name.length - 1;
    if (backslashesBefore(text, key + 1) !== 1) return false;
    const search = textLiteral(name);
    const again = search.indexIn(text, key + 1);
    if (search.indexIn(text, content) !== key || (again >= 0 && again < end)) return false;
  }
  return depthAt(text, content, key) === 1;
}

/**
 * How many objects and lists enclose `at` (the backslash of a level-1 quote), walking the event's
 * structure from `content`; undefined when `at` is not where a string starts.
 */
function depthAt(text: string, content: number, at: number): number | undefined {
  let depth = 0;
  for (let i = content; ;) {
    const open = levelOneQuote(text, i, at + 2);
    const gapEnd = open < 0 ? at : open - 1;
    for (let k = i; k < gapEnd; k++) {
      const c = text.charCodeAt(k);
      if (c === 0x7b || c === 0x5b) depth++;
      else if (c === 0x7d || c === 0x5d) depth--;
    }
    if (open < 0) return undefined;
    if (open - 1 === at) return depth;
    const close = levelOneQuote(text, open + 1, at);
    if (close < 0) return undefined;
    i = close + 1;
  }
}

/** The next quote at the embedded events' level (one backslash before it) from `from`, before `to`; -1 if a shallower one or none comes first. */
function levelOneQuote(text: string, from: number, to: number): number {
  for (let q = text.indexOf('"', from); q >= 0 && q < to; q = text.indexOf('"', q + 1)) {
    const run = backslashesBefore(text, q);
    if (run === 1) return q;
    if (run % 2 === 0) return -1;
  }
  return -1;
}
