import type { SourceKind } from '../sources/source-kind.js';
import { tryParseJson } from '../util/json.js';
import { isRecord } from '../util/is-record.js';
import type { FieldRule } from './field-rule.js';
import {
  AnchorReader,
  atFieldPath,
  collectTokens,
  leafSearches,
  regionAround,
  regionBounds,
  scanRegions,
  scanTokens,
  stringEnd,
  UNDECIDABLE,
  type FieldToken,
  type Region,
  type ScanField,
} from './field-scan.js';
import { FOLD_HAZARDS } from './fold-hazards.js';
import { ByteLiteral } from '../util/byte-literal.js';
import { escapeRegex } from '../util/escape-regex.js';
import { textLiteral } from '../util/text-literal.js';
import { ByteCensus, type Census, type CensusKey } from './census/byte-census.js';

/** The fields a source's embedded events are scanned for, and its rules as the scan evaluates them. */
export interface FieldScan {
  readonly fields: readonly ScanField[];
  readonly rules: readonly FieldRule[];
  /** A field every rule needs a value of: searched alone first, it rules most bodies out in one pass. */
  readonly pivot?:
    | {
        readonly field: ScanField;
        readonly index: number;
        /** Every rule reads it once, so its values may be tried one at a time. */
        readonly alone: boolean;
        /**
         * Literals one of which every value of the field that lets a rule match contains: the
         * body is searched for them, and only the events where one stands in the field's value
         * are read further.
         */
        readonly anchors?: readonly string[] | undefined;
      }
    | undefined;
}

/** Per source: off (with why), or the literal requirement of each rule, any of which lets a body through. */
export type SourcePrefilter =
  | { readonly state: 'off'; readonly reason: string }
  | {
      readonly state: 'on';
      /** A literal every record of the source holds, when one rejects something. */
      readonly gate: string | undefined;
      /** The key of the string each record embeds its event in, within which a rule must hold. */
      readonly embeddedKey: string | undefined;
      readonly rules: readonly (readonly (readonly string[])[])[];
      /** Present when every rule can be decided from the embedded events' scanned fields. */
      readonly scan?: FieldScan | undefined;
    };

/**
 * Decides from the raw bytes of an Event Hub body, before any parsing, whether it can hold a
 * record some active rule matches. Exact: it only ever skips bodies that cannot match. A body
 * with a `\u` escape that could spell part of a literal or key falls back to a full parse, and a
 * literal is only taken as absent when no character that case-folds into it occurs either.
 */
export class Prefilter {
  private readonly alternatives: readonly Alternative[] | undefined;
  private readonly embedded = new Map<SourceKind, (text: string) => boolean>();
  private census: ByteCensus | undefined;
  private readonly keys = new CensusKeysMemo();

  constructor(readonly sources: ReadonlyMap<SourceKind, SourcePrefilter>) {
    const on = [...sources].flatMap(([source, s]) => (s.state === 'on' ? [{ source, s }] : []));
    const clauses = new ClauseCache();
    // One source that cannot be prefiltered means every body must be parsed.
    this.alternatives =
      on.length < sources.size
        ? undefined
        : on
            .map(({ s }) => alternative(s, clauses))
            // Anchored alternatives last: a body another alternative lets through (an Activity Log
            // body with a CronJob write) needs no region placed, and a literal's search is shared either way.
            .sort((a, b) => Number(a.anchors !== undefined) - Number(b.anchors !== undefined));
    for (const { source, s } of on) {
      if (s.embeddedKey === undefined) continue;
      const rules = compileRules(s.rules);
      this.embedded.set(source, (text) => rules(text) || unsafe(text, FOLD_HAZARDS));
    }
  }

  get enabled(): boolean {
    return this.alternatives !== undefined;
  }

  /** False only when no active rule can match any record of this body. */
  mayMatchBody(body: Uint8Array | string): boolean {
    const alternatives = this.alternatives;
    if (alternatives === undefined) return true;
    if (typeof body === 'string') {
      if (unsafe(body, NO_HAZARDS)) return true;
      const view = new BodyView(body, identity, (hazard) => body.includes(hazard.text));
      // Should a future Unicode lower-case another character to two, positions would shift: parse.
      if (view.lower.length !== body.length) return true;
      return alternatives.some((alternative) => mayMatch(alternative, view));
    }
    const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    // UTF-16 (a byte-order mark or a NUL among the first bytes) is not scanned: parsing reports it.
    if (bytes[0] === 0 || bytes[1] === 0 || bytes[0] === 0xff || bytes[0] === 0xfe) return true;
    // Most Activity Log bodies hold no backslash at all (one memchr); an AKS body holds thousands
    // (its events are JSON in a JSON string), and one census pass finds its `\u` escapes (the API
    // server writes `&` as `\u0026` in every watch's URI) and the letters its searches start from.
    // Without a census `\u` is searched from the end, for the rarer `u`.
    let census: Census | undefined;
    if (bytes.indexOf(BACKSLASH) >= 0) {
      const keys = this.keys.of(alternatives);
      if (keys !== undefined) census = (this.census ??= new ByteCensus()).run(bytes, keys);
      if (census !== undefined) {
        if (census.unicodeEscape && unsafeEscapeAmong(bytes, census.positions)) return true;
      } else if (bytes.lastIndexOf(UNICODE_ESCAPE_BYTES) >= 0 && unsafe(bytes.toString('latin1'), NO_HAZARDS))
        return true;
    }
    const view = new BodyView(
      bytes,
      (_, start, end) => bytes.toString('utf8', start, end),
      (hazard) => bytes.includes(hazard.bytes),
      census,
    );
    return alternatives.some((alternative) => mayMatch(alternative, view));
  }

  /**
   * The same for the event text a record of `source` embeds (an AKS record's `properties.log`),
   * before it is parsed; undefined when the source embeds none or is not prefiltered.
   */
  embeddedGate(source: SourceKind): ((text: string) => boolean) | undefined {
    return this.embedded.get(source);
  }
}

/** A character outside ASCII that case-folds into ASCII letters, in the forms a body holds it. */
interface Hazard {
  readonly text: string;
  readonly bytes: Buffer;
}

const HAZARDS: readonly (Hazard & { readonly folded: string })[] = FOLD_HAZARDS.map((text) => ({
  text,
  bytes: Buffer.from(text, 'utf8'),
  folded: text.toLowerCase(),
}));

/** Literals (lower case) any one of which satisfies a clause, with the fold hazards that could spell part of one. */
interface Clause {
  readonly literals: readonly string[];
  /** One byte search per literal, in the same order. */
  readonly searchers: readonly ByteLiteral[];
  /** The same literals as case-insensitive patterns, for those made of common letters only. */
  readonly patterns: readonly RegExp[];
  /** All of them as one case-insensitive alternation. */
  readonly anyOf: RegExp;
  readonly hazards: readonly Hazard[];
  /**
   * Searched by memchr alone: no literal of common letters, which a regular expression finds only
   * in a string made of the body. Cheap clauses are tried first, then the most selective.
   */
  readonly cheap: boolean;
  /** Bodies this clause ruled out: the most selective clauses are tried first. */
  rejections: number;
}

/** One clause per distinct literal set, so a search made for one alternative answers another. */
class ClauseCache {
  private readonly byKey = new Map<string, Clause>();

  get(literals: readonly string[]): Clause {
    const unique = [...new Set(literals.map((literal) => literal.toLowerCase()))].sort();
    const key = unique.join('\u0000');
    let clause = this.byKey.get(key);
    if (clause === undefined) {
      const searchers = unique.map((literal) => new ByteLiteral(literal));
      clause = {
        literals: unique,
        searchers,
        patterns: unique.map((literal) => new RegExp(escapeRegex(literal), 'i')),
        anyOf: new RegExp(unique.map(escapeRegex).join('|'), 'i'),
        hazards: HAZARDS.filter((hazard) => unique.some((literal) => overlaps(literal, hazard.folded))),
        // More than two literals are searched by one alternation over a string of the body.
        cheap: unique.length <= 2 && searchers.every((searcher) => searcher.rare),
        rejections: 0,
      };
      this.byKey.set(key, clause);
    }
    return clause;
  }
}

/**
 * Whether a character folding to `folded` could supply part of an occurrence of `literal`: some
 * shift of one against the other where they overlap and agree (`k` for U+212A; for U+0130, whose
 * fold is `i` and a combining dot, only a literal ending in `i`).
 */
function overlaps(literal: string, folded: string): boolean {
  for (let shift = 1 - folded.length; shift < literal.length; shift++) {
    let agree = true;
    let overlap = 0;
    for (let i = 0; i < folded.length && agree; i++) {
      const at = shift + i;
      if (at < 0 || at >= literal.length) continue;
      overlap++;
      agree = literal[at] === folded[i];
    }
    if (agree && overlap > 0) return true;
  }
  return false;
}

/**
 * One body as the scans see it, with what has been searched for remembered. A body of bytes is
 * searched as bytes (`ByteLiteral`) and read as a latin1 string only when a region must be read; a
 * body that arrived as a string is searched in a lower-cased copy.
 */
class BodyView {
  private readonly present = new Map<Clause, boolean>();
  private readonly found = new Map<string, readonly number[]>();
  private readonly presence = new Map<string, boolean>();
  private readonly hazardFound = new Map<Hazard, boolean>();
  private latin1: string | undefined;
  private folded: string | undefined;

  constructor(
    private readonly body: Buffer | string,
    readonly decode: Decode,
    private readonly hasHazard: (hazard: Hazard) => boolean,
    /** Where the census letters stand, when the body had one. */
    private readonly census?: Census,
  ) {}

  /** The body as text: itself, or its bytes as latin1 (so offsets are byte offsets). */
  get text(): string {
    if (typeof this.body === 'string') return this.body;
    this.latin1 ??= this.body.toString('latin1');
    return this.latin1;
  }

  /**
   * A string body lower-cased, position for position. U+0130 is the one character whose lower case
   * is two (`i` and a combining dot): it is searched as `i`, which only finds more.
   */
  get lower(): string {
    const text = this.text;
    this.folded ??= text.replace(/\u0130/g, 'i').toLowerCase();
    return this.folded;
  }

  /** Whether the clause may hold: one of its literals occurs, or a character that folds into one. */
  holds(clause: Clause): boolean {
    let found = this.present.get(clause);
    if (found === undefined) {
      // Many literals (a sentinel, a rule's list of values) cost a pass each; one alternation, one pass.
      found =
        typeof this.body !== 'string' && clause.literals.length > 2
          ? clause.anyOf.test(this.text)
          : clause.literals.some((literal, i) =>
              this.occurs(literal, clause.searchers[i] as ByteLiteral, clause.patterns[i] as RegExp),
            );
      this.present.set(clause, found);
    }
    return found || this.foldsInto(clause);
  }

  /** Whether the clause was searched for already and cannot hold. */
  knownAbsent(clause: Clause): boolean {
    return this.present.get(clause) === false && !this.foldsInto(clause);
  }

  /** Where the clause's literals stand, in text order (overlapping ones included). */
  positions(clause: Clause): number[] {
    const at = clause.literals.flatMap((literal, i) =>
      this.where(literal, clause.searchers[i] as ByteLiteral),
    );
    if (clause.literals.length > 1) at.sort((x, y) => x - y);
    this.present.set(clause, at.length > 0);
    return at;
  }

  /** Whether `literal` occurs whole between `from` and `to`. */
  occursWithin(literal: string, searcher: ByteLiteral, from: number, to: number): boolean {
    const at = this.where(literal, searcher);
    let lo = 0;
    let hi = at.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((at[mid] as number) < from) lo = mid + 1;
      else hi = mid;
    }
    return lo < at.length && (at[lo] as number) + literal.length <= to;
  }

  /**
   * The region of the embedded event around `at`: from the key that opens its string (`"log":"`)
   * to the next one, which its text runs on to include (a key straddling the end is seen whole).
   */
  region(key: string, at: number): EventRegion {
    const body = this.body;
    const search = opener(key);
    const { from, content, end } =
      typeof body === 'string' ? regionBounds(body, key, at) : byteRegionBounds(body, search, at);
    return new EventRegion(this, from, content < 0 ? -1 : content - from, end - from, search.literal.length);
  }

  /**
   * The body's text from `from` to `to`: its whole text when that is all of it (a body with no
   * event key is one region), made once and shared with the searches that read it.
   */
  textBetween(from: number, to: number): string {
    const body = this.body;
    if (from === 0 && to >= body.length) return this.text;
    return typeof body === 'string' ? body.slice(from, to) : body.toString('latin1', from, to);
  }

  /** The body's characters from `from` to `to` (a body of bytes is UTF-8). */
  decodeBetween(from: number, to: number): string {
    const body = this.body;
    return typeof body === 'string' ? body.slice(from, to) : body.toString('utf8', from, to);
  }

  foldsInto(clause: Clause): boolean {
    return clause.hazards.some((hazard) => {
      let found = this.hazardFound.get(hazard);
      if (found === undefined) {
        found = this.hasHazard(hazard);
        this.hazardFound.set(hazard, found);
      }
      return found;
    });
  }

  private occurs(literal: string, searcher: ByteLiteral, pattern: RegExp): boolean {
    const known = this.found.get(literal);
    if (known !== undefined) return known.length > 0;
    let present = this.presence.get(literal);
    if (present === undefined) {
      if (typeof this.body === 'string') present = this.lower.includes(literal);
      else if (this.counted(searcher)) return this.where(literal, searcher).length > 0;
      else present = searcher.rare ? searcher.occursIn(this.body) : pattern.test(this.text);
      this.presence.set(literal, present);
    }
    return present;
  }

  private where(literal: string, searcher: ByteLiteral): readonly number[] {
    let at = this.found.get(literal);
    // Searched for already and found absent: no place to look for.
    if (at === undefined && this.presence.get(literal) === false) at = NOWHERE;
    if (at === undefined) {
      if (typeof this.body === 'string') {
        const lower = this.lower;
        const list: number[] = [];
        for (let i = lower.indexOf(literal); i >= 0; i = lower.indexOf(literal, i + 1)) list.push(i);
        at = list;
      } else
        at =
          this.census !== undefined && this.counted(searcher)
            ? searcher.positionsAmong(this.body, this.census.positions)
            : searcher.positionsIn(this.body);
      this.found.set(literal, at);
    }
    return at;
  }

  /** Whether the census took the letter `searcher` starts from, with the byte beside it. */
  private counted(searcher: ByteLiteral): boolean {
    const census = this.census;
    return census !== undefined && (isKeyOf(census.keys[0], searcher) || isKeyOf(census.keys[1], searcher));
  }
}

const NOWHERE: readonly number[] = [];

/**
 * One embedded event's part of a body as a text of its own, positions in it counted from `from`:
 * `content` (-1 before the first event) and `end` (the next event's key, which the text runs on
 * to hold). The text is made when first read: an anchor in the opening key needs none.
 */
class EventRegion {
  private made: string | undefined;

  constructor(
    private readonly view: BodyView,
    readonly from: number,
    readonly content: number,
    readonly end: number,
    /** How far past `end` the text runs: the length of the next event's key. */
    private readonly overrun: number,
  ) {}

  get text(): string {
    this.made ??= this.view.textBetween(this.from, this.from + this.end + this.overrun);
    return this.made;
  }

  /** The region's text from `start` to `end` as the body's characters. */
  decode(start: number, end: number): string {
    return this.view.decodeBetween(this.from + start, this.from + end);
  }
}

/** `regionBounds` of a body of bytes, its keys found from their rarest byte. */
function byteRegionBounds(body: Buffer, search: ByteLiteral, at: number): ReturnType<typeof regionBounds> {
  const start = search.lastIndexIn(body, at);
  const next = search.indexIn(body, at);
  return {
    from: Math.max(start, 0),
    content: start < 0 ? -1 : start + search.literal.length,
    end: next < 0 ? body.length : next,
  };
}

const OPENERS = new Map<string, ByteLiteral>();

/** The search for `"key":"`, made once per source key (the program's own, never input's). */
function opener(key: string): ByteLiteral {
  let literal = OPENERS.get(key);
  if (literal === undefined) {
    literal = new ByteLiteral(`"${key}":"`, true);
    OPENERS.set(key, literal);
  }
  return literal;
}

interface Alternative {
  /** A literal every record of the source holds; absent when it would reject nothing the rules do not. */
  readonly gate: Clause | undefined;
  /** Rules must hold within one record's embedded text (`"log":"…"`), not across the records of a body. */
  readonly embeddedKey: string | undefined;
  /** Each rule's clauses, most selective first as bodies show it. */
  readonly rules: Clause[][];
  /** One clause from each rule: when none holds, no rule can (absent when some rule has no clause). */
  readonly sentinel: Clause | undefined;
  readonly scan: FieldScan | undefined;
  /** The pivot field's anchor literals, when the embedded events are decided from where they stand. */
  readonly anchors: Clause | undefined;
  /** The scanned fields in the order a region is read: the pivot last, as its anchor stands in each region read. */
  readonly fieldOrder: readonly number[];
  /** Bodies tested since the clauses were last put in order. */
  tested: number;
}

function alternative(s: Extract<SourcePrefilter, { state: 'on' }>, clauses: ClauseCache): Alternative {
  const rules = s.rules.map((rule) => rule.map((literals) => clauses.get(literals)).sort(byPromise));
  const rarest = s.rules.map(rarestClause);
  const anchors = s.scan?.pivot?.anchors;
  return {
    gate: s.gate === undefined ? undefined : clauses.get([s.gate]),
    embeddedKey: s.embeddedKey,
    rules,
    // With one rule its clauses themselves, in the order bodies teach, do better than a fixed one.
    sentinel:
      rules.length < 2 || rarest.some((c) => c === undefined)
        ? undefined
        : clauses.get((rarest as string[][]).flat()),
    scan: s.scan,
    anchors: anchors === undefined ? undefined : clauses.get(anchors),
    fieldOrder: fieldOrder(s.scan),
    tested: 0,
  };
}

/**
 * The two keys a body's census takes: those the anchors are searched from, then those of each
 * rule's first clause, which rules out most bodies (its literal is searched whole, to no avail,
 * in most of them). Undefined when no search starts from a letter.
 */
function censusKeys(alternatives: readonly Alternative[]): [CensusKey, CensusKey] | undefined {
  const keys: CensusKey[] = [];
  const take = (clause: Clause | undefined): void => {
    for (const searcher of clause?.searchers ?? []) {
      const key = censusKey(searcher);
      if (key !== undefined && !keys.some((taken) => sameKey(taken, key))) keys.push(key);
    }
  };
  for (const alternative of alternatives) take(alternative.anchors);
  for (const alternative of alternatives) for (const clauses of alternative.rules) take(clauses[0]);
  const [first, second] = keys;
  return first === undefined ? undefined : [first, second ?? first];
}

/** `censusKeys`, worked out again only when some rule's first clause has changed (clauses are reordered now and then). */
class CensusKeysMemo {
  private firsts: readonly (Clause | undefined)[] = [];
  private keys: [CensusKey, CensusKey] | undefined;

  of(alternatives: readonly Alternative[]): [CensusKey, CensusKey] | undefined {
    let i = 0;
    let same = true;
    for (const alternative of alternatives)
      for (const clauses of alternative.rules) same &&= this.firsts[i++] === clauses[0];
    if (same && i === this.firsts.length && i > 0) return this.keys;
    this.firsts = alternatives.flatMap((alternative) => alternative.rules.map((clauses) => clauses[0]));
    this.keys = censusKeys(alternatives);
    return this.keys;
  }
}

/** The census key a literal is searched from: its pivot letter and the byte beside it. */
function censusKey(searcher: ByteLiteral): CensusKey | undefined {
  const letter = searcher.pivotLetter;
  if (letter === undefined) return undefined;
  const beside = searcher.pivotNeighbour;
  return beside === undefined ? { letter } : { letter, beside };
}

/** Whether `searcher` is searched from `key` (without making its key: this runs for every literal searched). */
function isKeyOf(key: CensusKey, searcher: ByteLiteral): boolean {
  return isKey(key, searcher.pivotLetter, searcher.pivotNeighbour);
}

function sameKey(a: CensusKey, b: CensusKey): boolean {
  return isKey(a, b.letter, b.beside);
}

function isKey(key: CensusKey, letter: number | undefined, beside: CensusKey['beside']): boolean {
  return key.letter === letter && key.beside?.offset === beside?.offset && key.beside?.byte === beside?.byte;
}

/** How often the clauses of an alternative are put back in order of how many bodies each ruled out. */
const REORDER_EVERY = 256;

/** Cheap clauses first, then those that ruled out the most bodies. */
function byPromise(a: Clause, b: Clause): number {
  return Number(b.cheap) - Number(a.cheap) || b.rejections - a.rejections;
}

function mayMatch(alternative: Alternative, view: BodyView): boolean {
  if (
    alternative.anchors !== undefined &&
    alternative.scan !== undefined &&
    alternative.embeddedKey !== undefined
  )
    return anchoredEventsMayMatch(
      view,
      alternative.embeddedKey,
      alternative.scan,
      alternative.anchors,
      alternative.fieldOrder,
    );
  const { gate, rules, sentinel } = alternative;
  if (gate !== undefined && !view.holds(gate)) return false;
  // Free first: a clause another alternative's search already showed absent.
  if (rules.every((clauses) => clauses.some((clause) => view.knownAbsent(clause)))) return false;
  if (sentinel !== undefined && !view.holds(sentinel)) return false;
  if (++alternative.tested % REORDER_EVERY === 0) for (const clauses of rules) clauses.sort(byPromise);
  // Whole text first: when no rule holds across the body, none holds within one record.
  const holding = rules.some((clauses) =>
    clauses.every((clause) => {
      if (view.holds(clause)) return true;
      clause.rejections++;
      return false;
    }),
  );
  if (!holding) return false;
  if (alternative.embeddedKey === undefined) return true;
  if (alternative.scan !== undefined)
    return someEmbeddedEvent(view.text, alternative.embeddedKey, alternative.scan, view.decode);
  const test = (from: number, to: number): boolean =>
    rules.some((clauses) =>
      clauses.every(
        (clause) =>
          clause.literals.some((literal, i) =>
            view.occursWithin(literal, clause.searchers[i] as ByteLiteral, from, to),
          ) || view.foldsInto(clause),
      ),
    );
  return someEmbeddedSegment(view.text, alternative.embeddedKey, test);
}

/** The scanned fields' indexes, the pivot's last. */
function fieldOrder(scan: FieldScan | undefined): number[] {
  const fields = [...(scan?.fields.keys() ?? [])];
  const pivot = scan?.pivot?.index;
  return pivot === undefined ? fields : fields.filter((index) => index !== pivot).concat(pivot);
}

/**
 * The anchored decision: only the events where an anchor literal may stand in the pivot field's
 * value can match, so only the regions around those are read, each as a text of its own (a body's
 * events are read in a small part of it, and no string is made of the rest).
 */
function anchoredEventsMayMatch(
  view: BodyView,
  key: string,
  scan: FieldScan,
  anchors: Clause,
  order: readonly number[],
): boolean {
  const pivot = scan.pivot;
  // A character folding into an anchor could spell one the search cannot see: decide the old way.
  if (pivot === undefined || view.foldsInto(anchors))
    return someEmbeddedEvent(view.text, key, scan, view.decode);
  let region: EventRegion | undefined;
  let reader: AnchorReader | undefined;
  let decided = false;
  // No anchor (most bodies of other sources): no event to read, and no text made.
  for (const at of view.positions(anchors)) {
    if (region === undefined || at >= region.from + region.end) {
      region = view.region(key, at);
      reader = undefined;
      decided = false;
    }
    // An anchor in the key that opens the event's string (`"log":"` holds `log`) is no value: literals hold no quote.
    if (decided || at - region.from < region.content) continue;
    reader ??= new AnchorReader(region.text, pivot.field.leaf);
    if (reader.place(at - region.from) === 'elsewhere') continue;
    decided = true;
    if (regionMayMatch(region, key, scan, order) !== false) return true;
  }
  return false;
}

/**
 * One region decided field by field, in `order`: most regions are ruled out by the first field
 * searched, and only what survives them all is parsed.
 */
function regionMayMatch(
  region: EventRegion,
  key: string,
  scan: FieldScan,
  order: readonly number[],
): boolean | typeof UNDECIDABLE {
  const { text, content, end } = region;
  const tokens: FieldToken[] = [];
  const searched = new Set<number>();
  const known = (f: number): boolean => searched.has(f);
  for (const index of order) {
    const field = scan.fields[index] as ScanField;
    if (!collectTokens(text, index, field.leaf, tokens, 0, end)) return UNDECIDABLE;
    searched.add(index);
    if (!scan.rules.some((rule) => rule.mayMatchTokens(tokens, known))) return false;
  }
  // Fields whose one value sits where the API server writes it are known without parsing, when
  // the parse keeps this embedded string: the region spells its key nowhere else (`"log" : "…"`,
  // spaced, opens no region but may be the record's last `log`, or another record's).
  const placed = new Set<number>();
  const another = content < 0 ? -1 : textLiteral(`"${key}"`).indexIn(text, content);
  if (content >= 0 && (another < 0 || another >= end))
    for (const [index, field] of scan.fields.entries()) {
      const own = tokens.filter((token) => token.field === index);
      const only = own[0];
      if (own.length === 1 && only !== undefined && only.value !== undefined)
        if (atFieldPath(text, content, end, only, field.name)) placed.add(index);
    }
  if (
    placed.size > 0 &&
    !scan.rules.some((rule) => rule.mayMatchTokens(tokens, undefined, (f) => placed.has(f)))
  )
    return false;
  tokens.sort((a, b) => a.at - b.at);
  return regionsMayMatch(text, [{ content, end, tokens }], scan, (_, from, to) => region.decode(from, to));
}

/** The text of `text` from `start` to `end` as the body's characters (the text may be its bytes as latin1). */
type Decode = (text: string, start: number, end: number) => string;

const identity: Decode = (text, start, end) => text.slice(start, end);

/**
 * Whether some embedded event of the body may match, decided from its scanned fields. A region
 * whose values let a rule through is read exactly: its embedded string alone is parsed, and the
 * rule's raw-field items run on the event. Anything the scan cannot place or read is a yes.
 */
function someEmbeddedEvent(text: string, key: string, scan: FieldScan, decode: Decode): boolean {
  const pivot = scan.pivot;
  let regions: readonly Region[] | typeof UNDECIDABLE | undefined;
  if (pivot !== undefined) {
    // One field every rule needs, across the whole body first: only the regions holding a value
    // of it that could satisfy a rule are searched for the other fields (exact when each rule
    // reads the field once; otherwise every region is searched).
    const found = scanTokens(text, [pivot.field]);
    if (found === UNDECIDABLE) return true;
    const tokens = found.map((token) => ({ ...token, field: pivot.index }));
    if (!scan.rules.some((rule) => rule.mayMatchTokens(tokens, pivot.index))) return false;
    const suspects = tokens.filter((token) =>
      scan.rules.some((rule) => rule.mayMatchTokens([token], pivot.index)),
    );
    if (pivot.alone) {
      const around: Region[] = [];
      const searches = leafSearches(scan.fields);
      for (const suspect of suspects) {
        const last = around[around.length - 1];
        if (last !== undefined && suspect.at < last.end) continue;
        const region = regionAround(text, key, scan.fields, suspect.at, searches);
        if (region === UNDECIDABLE) return true;
        around.push(region);
      }
      regions = around;
    }
  }
  regions ??= scanRegions(text, key, scan.fields);
  if (regions === UNDECIDABLE) return true;
  return regionsMayMatch(text, regions, scan, decode);
}

/** Whether an event of these regions may match: its tokens first, then, if they let it through, itself parsed. */
function regionsMayMatch(text: string, regions: readonly Region[], scan: FieldScan, decode: Decode): boolean {
  return regions.some((region) => {
    if (!scan.rules.some((rule) => rule.mayMatchTokens(region.tokens))) return false;
    if (region.content < 0) return true;
    const end = stringEnd(text, region.content, region.end);
    const last = region.tokens[region.tokens.length - 1];
    // A scanned field outside the embedded string belongs to an event the scan cannot place.
    if (end < 0 || (last !== undefined && last.at >= end)) return true;
    const embedded = tryParseJson(decode(text, region.content - 1, end + 1));
    const event = typeof embedded === 'string' ? tryParseJson(embedded) : undefined;
    // An event that does not parse is left to the full parse, which reports it.
    if (!isRecord(event)) return true;
    return scan.rules.some((rule) => rule.mayMatchEvent(event));
  });
}

type Matcher = (text: string) => boolean;

/**
 * Tests the body piece by piece so each embedded string (`"log":"…"`) lies whole in one piece: a
 * key with raw quotes cannot occur inside a JSON string, so no string of the body spans two pieces. When one is not written as `"key":"…"`
 * (an object from a forwarder, or spacing), the whole body is tested as one piece, which only
 * lets more through.
 */
function someEmbeddedSegment(
  text: string,
  key: string,
  test: (from: number, to: number) => boolean,
): boolean {
  const quotedKey = `"${key}"`;
  const keyString = `"${key}":"`;
  // The text before the first embedded string is a piece too: it may hold an event in another
  // form (a `properties` written as a JSON string spells the key `\"log\"`).
  const starts: number[] = [0];
  for (let at = text.indexOf(quotedKey); at >= 0; at = text.indexOf(quotedKey, at + quotedKey.length)) {
    if (!text.startsWith(keyString, at)) return test(0, text.length);
    starts.push(at);
  }
  return starts.some((start, i) => test(start, starts[i + 1] ?? text.length));
}

/**
 * Whether a `\u` escape decodes to a character no prefilter literal, scanned key or JSON structure
 * holds: literals and keys are printable ASCII, so control characters and the characters outside
 * ASCII that do not fold into it are harmless, and so are `<`, `>` and `&`, which literals never
 * hold and encoders commonly escape (Go's does; .NET's escapes everything outside ASCII).
 */
function harmlessEscape(code: number): boolean {
  if (code < 0x20) return true;
  const ch = String.fromCharCode(code);
  return code >= 0x80 ? !FOLD_HAZARDS.includes(ch) : '<>&'.includes(ch);
}

const UNICODE_ESCAPE = /\\u([0-9a-fA-F]{4})/g;

const BACKSLASH = 0x5c;
const UNICODE_ESCAPE_BYTES = Buffer.from('\\u', 'latin1');
const NO_HAZARDS: readonly string[] = [];

/** A `\u` escape that may spell part of a literal, or a character that folds into ASCII. */
function unsafe(text: string, hazards: readonly string[]): boolean {
  if (text.includes('\\u')) {
    UNICODE_ESCAPE.lastIndex = 0;
    for (let m = UNICODE_ESCAPE.exec(text); m !== null; m = UNICODE_ESCAPE.exec(text)) {
      if (!harmlessEscape(parseInt(m[1] as string, 16))) return true;
    }
  }
  return hazards.some((hazard) => text.includes(hazard));
}

/**
 * `unsafe` of a body's bytes, read at the census positions only: those of a backslash start its
 * `\u` escapes (the others are letters). No string is made of the body.
 */
function unsafeEscapeAmong(bytes: Buffer, positions: ArrayLike<number>): boolean {
  for (let i = 0; i < positions.length; i++) {
    const at = positions[i] as number;
    if (bytes[at] !== BACKSLASH) continue;
    const code = hexCode(bytes, at + 2);
    if (code >= 0 && !harmlessEscape(code)) return true;
  }
  return false;
}

/** The value of the four hex digits from `at` (of `\uXXXX`), or -1 when a byte there is no hex digit. */
function hexCode(bytes: Buffer, at: number): number {
  let code = 0;
  for (let i = at; i < at + 4; i++) {
    const byte = bytes[i] ?? 0;
    // `| 0x20` maps A-F onto a-f, and nothing else onto them.
    const small = byte | 0x20;
    if (byte >= 0x30 && byte <= 0x39) code = code * 16 + byte - 0x30;
    else if (small >= 0x61 && small <= 0x66) code = code * 16 + small - 0x57;
    else return -1;
  }
  return code;
}

/** Any rule's clauses all hold; each clause is one case-insensitive alternation of literals. */
function compileRules(rules: readonly (readonly (readonly string[])[])[]): Matcher {
  const compiled = rules.map((clauses) => clauses.map(literalRegex));
  return (text) => compiled.some((clauses) => clauses.every((re) => re.test(text)));
}

function literalRegex(literals: readonly string[]): RegExp {
  return new RegExp(literals.map(escapeRegex).join('|'), 'i');
}

/** Words nearly every Azure or Kubernetes record holds; a clause made of them rejects little. */
const COMMON = [
  'microsoft',
  'write',
  'read',
  'delete',
  'action',
  'create',
  'update',
  'patch',
  'list',
  'watch',
  'managedclusters',
  'connectedclusters',
  'kubernetes',
];

/** The clause most likely to be absent: fewest literals, none of them common, longest. */
function rarestClause(clauses: readonly (readonly string[])[]): string[] | undefined {
  const score = (clause: readonly string[]): number =>
    (clause.some((l) => COMMON.some((w) => l.includes(w))) ? 1000 : 0) +
    clause.length * 10 -
    Math.min(...clause.map((l) => l.length)) / 100;
  const best = [...clauses].sort((a, b) => score(a) - score(b))[0];
  return best === undefined ? undefined : [...best];
}
