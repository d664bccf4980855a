import { BracketIndex } from './structure/bracket-index.js';

/** Where the records of an export envelope (`{"records":[{…},{…}]}`) lie in its bytes. */
export interface RecordSpans {
  /** Each element of `records`: its first byte and the byte after its last, in order. */
  readonly spans: readonly RecordSpan[];
  /** Where the body stops being JSON after the last span (cut short, most often); absent when it does not. */
  readonly brokenAt?: number;
}

export type RecordSpan = readonly [start: number, end: number];

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const RECORDS = 'records';

/**
 * The records of an export envelope as byte ranges, found without parsing them, so a body can be
 * read record by record: only the records that may match are parsed, and a record that does not
 * parse costs only itself. Undefined for any body that is not such an envelope of objects (a lone
 * record, an array, a `records` that is not an array of objects or is given twice): those are
 * parsed whole. Strings are skipped with their escapes and brackets are counted, so in valid JSON
 * each span is exactly the text `JSON.parse` reads as that element; inside a span nothing is
 * checked, which its own parse does. Each element's end is found among the body's brackets
 * outside strings (`BracketIndex`), or, for a body too large for it, by walking its bytes: both
 * read a backslash as escaping the byte after it wherever it stands, so they agree on any bytes.
 * Written by hand: JSON parsers give values, not where they lie.
 */
export function recordSpans(
  bytes: Uint8Array,
  brackets: (bytes: Uint8Array) => Int32Array | undefined = (b) => INDEX.of(b),
): RecordSpans | undefined {
  const opening = objectOpening(bytes);
  if (opening === undefined) return undefined;
  const scan = new Scan(bytes);
  scan.at = opening + 1;
  let spans: RecordSpan[] | undefined;
  const broken = (): RecordSpans | undefined =>
    spans === undefined ? undefined : { spans, brokenAt: Math.min(scan.at, bytes.length) };
  if (scan.next() === CLOSE_BRACE) return undefined;
  for (;;) {
    const key = scan.key();
    if (key === undefined || scan.next() !== COLON) return broken();
    scan.at++;
    if (key === RECORDS) {
      if (spans !== undefined || scan.next() !== OPEN_BRACKET) return undefined;
      // Indexed only now it is an envelope: a lone record or another document is parsed whole.
      scan.brackets = brackets(bytes);
      scan.at++;
      spans = [];
      if (scan.next() === CLOSE_BRACKET) scan.at++;
      else
        for (;;) {
          const element = scan.next();
          // Another JSON value is read whole (which names it); what starts none breaks the body here,
          // so the records before it are read as after a cut.
          if (element !== OPEN_BRACE)
            return element !== undefined && startsValue(element) ? undefined : broken();
          const start = scan.at;
          if (!scan.skipComposite()) return broken();
          spans.push([start, scan.at]);
          const after = scan.next();
          if (after !== COMMA && after !== CLOSE_BRACKET) return broken();
          scan.at++;
          if (after === CLOSE_BRACKET) break;
        }
    } else if (!scan.skipValue()) return broken();
    const after = scan.next();
    if (after !== COMMA && after !== CLOSE_BRACE) return broken();
    scan.at++;
    if (after === CLOSE_BRACE) break;
  }
  if (spans === undefined) return undefined;
  return scan.next() === undefined ? { spans } : broken();
}

const INDEX = new BracketIndex();

/** Whether a JSON value may start with this byte: a string, array, number, `true`, `false` or `null`. */
function startsValue(byte: number): boolean {
  return (
    byte === QUOTE ||
    byte === OPEN_BRACKET ||
    byte === 0x2d /* - */ ||
    (byte >= 0x30 && byte <= 0x39) ||
    byte === 0x74 /* t */ ||
    byte === 0x66 /* f */ ||
    byte === 0x6e /* n */
  );
}

/** Where the body's top-level object opens, after a UTF-8 byte-order mark (which decoding drops) and white space. */
function objectOpening(bytes: Uint8Array): number | undefined {
  const scan = new Scan(bytes);
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) scan.at = 3;
  return scan.next() === OPEN_BRACE ? scan.at : undefined;
}

class Scan {
  at = 0;
  /** The body's brackets outside strings, when indexed; else composites are walked byte by byte. */
  brackets: Int32Array | undefined;
  /** The first of the indexed brackets not yet passed. */
  private bracket = 0;

  constructor(private readonly bytes: Uint8Array) {}

  /** The next byte that is not JSON white space, `at` moved onto it; undefined at the end. */
  next(): number | undefined {
    const bytes = this.bytes;
    for (; this.at < bytes.length; this.at++) {
      const byte = bytes[this.at] as number;
      if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return byte;
    }
    return undefined;
  }

  /** A member's key, as JSON reads it, `at` moved past it; undefined when none stands here. */
  key(): string | undefined {
    if (this.next() !== QUOTE) return undefined;
    const start = this.at;
    if (!this.skipString()) return undefined;
    const raw = Buffer.from(this.bytes.buffer, this.bytes.byteOffset + start, this.at - start);
    // Only a key with an escape needs decoding: `"rec\u006frds"` is `records` too.
    if (!raw.includes(BACKSLASH)) return raw.toString('utf8', 1, raw.length - 1);
    try {
      return JSON.parse(raw.toString('utf8')) as string;
    } catch {
      return undefined;
    }
  }

  /** Past the string opening at `at`; false when the bytes end inside it. */
  skipString(): boolean {
    const bytes = this.bytes;
    for (let i = this.at + 1; i < bytes.length; i++) {
      const byte = bytes[i];
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) {
        this.at = i + 1;
        return true;
      }
    }
    this.at = bytes.length;
    return false;
  }

  /** Past the object or array opening at `at`, strings skipped whole; false when the bytes end first. */
  skipComposite(): boolean {
    return this.brackets === undefined ? this.walkComposite() : this.indexedComposite(this.brackets);
  }

  private indexedComposite(brackets: Int32Array): boolean {
    const bytes = this.bytes;
    let k = this.bracket;
    while (k < brackets.length && (brackets[k] as number) < this.at) k++;
    // The index and this walk read escapes and strings alike, so the bracket here is indexed.
    if (brackets[k] !== this.at) return this.walkComposite();
    let depth = 0;
    for (; k < brackets.length; k++) {
      const at = brackets[k] as number;
      const byte = bytes[at];
      if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth++;
      else if (--depth === 0) {
        this.bracket = k + 1;
        this.at = at + 1;
        return true;
      }
    }
    this.bracket = k;
    this.at = bytes.length;
    return false;
  }

  private walkComposite(): boolean {
    const bytes = this.bytes;
    let depth = 0;
    while (this.at < bytes.length) {
      const byte = bytes[this.at];
      if (byte === QUOTE) {
        if (!this.skipString()) return false;
        continue;
      }
      // As in a string: the byte after a backslash is skipped (JSON has none out here).
      if (byte === BACKSLASH) {
        this.at += 2;
        continue;
      }
      if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth++;
      else if ((byte === CLOSE_BRACE || byte === CLOSE_BRACKET) && --depth === 0) {
        this.at++;
        return true;
      }
      this.at++;
    }
    return false;
  }

  /** Past the value starting here: a string, an object or array, or a bare word or number. */
  skipValue(): boolean {
    const byte = this.next();
    if (byte === QUOTE) return this.skipString();
    if (byte === OPEN_BRACE || byte === OPEN_BRACKET) return this.skipComposite();
    const start = this.at;
    const bytes = this.bytes;
    while (this.at < bytes.length) {
      const b = bytes[this.at];
      // A quote or backslash ends it too, so no string is entered unseen.
      if (
        b === COMMA ||
        b === CLOSE_BRACE ||
        b === QUOTE ||
        b === BACKSLASH ||
        b === 0x20 ||
        b === 0x0a ||
        b === 0x0d ||
        b === 0x09
      )
        break;
      this.at++;
    }
    return this.at > start && this.at < bytes.length;
  }
}
