import type { SourceKind } from '../sources/source-kind.js';
import { tryParseJson } from '../util/json.js';
import { isRecord } from '../util/is-record.js';
import type { FieldRule } from './field-rule.js';
import {
  regionAround,
  scanRegions,
  scanTokens,
  stringEnd,
  UNDECIDABLE,
  type Region,
  type ScanField,
} from './field-scan.js';
import { FOLD_HAZARDS } from './fold-hazards.js';

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
 * with a `\u` escape or a character that case-folds into ASCII falls back to a full parse.
 */
export class Prefilter {
  private readonly alternatives: readonly Alternative[] | undefined;
  private readonly embedded = new Map<SourceKind, (text: string) => boolean>();
  /** One scan that rules most bodies out: no alternative's rarest clause and no escape occurs. */
  private readonly sentinel: RegExp | undefined;

  constructor(readonly sources: ReadonlyMap<SourceKind, SourcePrefilter>) {
    const states = [...sources.entries()];
    // One source that cannot be prefiltered means every body must be parsed.
    this.alternatives = states.some(([, s]) => s.state === 'off')
      ? undefined
      : states.flatMap(([, s]) =>
          s.state === 'on'
            ? [
                {
                  gate: s.gate === undefined ? undefined : literalRegex([s.gate]),
                  embeddedKey: s.embeddedKey,
                  rules: compileRules(s.rules),
                  scan: s.scan,
                },
              ]
            : [],
        );
    for (const [source, s] of states) {
      if (s.state !== 'on' || s.embeddedKey === undefined) continue;
      const rules = compileRules(s.rules);
      this.embedded.set(source, (text) => rules(text) || unsafe(text, FOLD_HAZARDS));
    }
    const sentinels = states.flatMap(([, s]) => (s.state === 'on' ? s.rules.map(rarestClause) : []));
    this.sentinel =
      this.alternatives === undefined || sentinels.some((c) => c === undefined)
        ? undefined
        : new RegExp([...(sentinels as string[][]).flat().map(escapeRegex), '\\\\u'].join('|'), 'i');
  }

  get enabled(): boolean {
    return this.alternatives !== undefined;
  }

  /** False only when no active rule can match any record of this body. */
  mayMatchBody(body: Uint8Array | string): boolean {
    if (this.alternatives === undefined) return true;
    if (typeof body === 'string') return unsafe(body, FOLD_HAZARDS) || this.testText(body, identity);
    const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    // UTF-16 (a byte-order mark or a NUL among the first bytes) is not scanned: parsing reports it.
    if (bytes.length >= 2 && (bytes[0] === 0 || bytes[1] === 0 || bytes[0] === 0xff || bytes[0] === 0xfe))
      return true;
    // Byte searches first (memchr speed); the case-insensitive scans run on a latin1 view.
    if (HAZARD_BYTES.some((hazard) => bytes.includes(hazard))) return true;
    const text = bytes.toString('latin1');
    if (this.sentinel !== undefined && !this.sentinel.test(text)) return false;
    // The fold hazards were searched in the bytes above; only `\u` escapes are left to look for.
    return unsafe(text, NO_HAZARDS) || this.testText(text, latin1ToUtf8);
  }

  /**
   * The same for the event text a record of `source` embeds (an AKS record's `properties.log`),
   * before it is parsed; undefined when the source embeds none or is not prefiltered.
   */
  embeddedGate(source: SourceKind): ((text: string) => boolean) | undefined {
    return this.embedded.get(source);
  }

  private testText(text: string, decode: (slice: string) => string): boolean {
    return (this.alternatives ?? []).some((alternative) => {
      if (alternative.gate !== undefined && !alternative.gate.test(text)) return false;
      // Whole text first: when no rule holds across the body, none holds within one record.
      if (!alternative.rules(text)) return false;
      if (alternative.embeddedKey === undefined) return true;
      if (alternative.scan !== undefined)
        return someEmbeddedEvent(text, alternative.embeddedKey, alternative.scan, decode);
      return someEmbeddedSegment(text, alternative.embeddedKey, alternative.rules);
    });
  }
}

const identity = (slice: string): string => slice;
const latin1ToUtf8 = (slice: string): string => Buffer.from(slice, 'latin1').toString('utf8');

/**
 * Whether some embedded event of the body may match, decided from its scanned fields. A region
 * whose values let a rule through is read exactly: its embedded string alone is parsed, and the
 * rule's raw-field items run on the event. Anything the scan cannot place or read is a yes.
 */
function someEmbeddedEvent(
  text: string,
  key: string,
  scan: FieldScan,
  decode: (slice: string) => string,
): boolean {
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
    if (pivot.alone && suspects.length === 0) return false;
    if (pivot.alone) {
      const around: Region[] = [];
      for (const suspect of suspects) {
        const last = around[around.length - 1];
        if (last !== undefined && suspect.at < last.end) continue;
        const region = regionAround(text, key, scan.fields, suspect.at);
        if (region === UNDECIDABLE) return true;
        around.push(region);
      }
      regions = around;
    }
  }
  regions ??= scanRegions(text, key, scan.fields);
  if (regions === UNDECIDABLE) return true;
  return regions.some((region) => {
    if (!scan.rules.some((rule) => rule.mayMatchTokens(region.tokens))) return false;
    if (region.content < 0) return true;
    const end = stringEnd(text, region.content, region.end);
    const last = region.tokens[region.tokens.length - 1];
    // A scanned field outside the embedded string belongs to an event the scan cannot place.
    if (end < 0 || (last !== undefined && last.at >= end)) return true;
    const embedded = tryParseJson(decode(text.slice(region.content - 1, end + 1)));
    const event = typeof embedded === 'string' ? tryParseJson(embedded) : undefined;
    // An event that does not parse is left to the full parse, which reports it.
    if (!isRecord(event)) return true;
    return scan.rules.some((rule) => rule.mayMatchEvent(event));
  });
}

type Matcher = (text: string) => boolean;

interface Alternative {
  /** A literal every record of the source holds; absent when it would reject nothing the rules do not. */
  readonly gate: RegExp | undefined;
  /** Rules must hold within one record's embedded text (`"log":"…"`), not across the records of a body. */
  readonly embeddedKey: string | undefined;
  readonly rules: Matcher;
  readonly scan: FieldScan | undefined;
}

/**
 * Tests the body piece by piece so each embedded string (`"log":"…"`) lies whole in one piece: a
 * key with raw quotes cannot occur inside a JSON string, so no string of the body spans two pieces. When one is not written as `"key":"…"`
 * (an object from a forwarder, or spacing), the whole body is tested as one piece, which only
 * lets more through.
 */
function someEmbeddedSegment(text: string, key: string, test: Matcher): boolean {
  const quotedKey = `"${key}"`;
  const keyString = `"${key}":"`;
  // The text before the first embedded string is a piece too: it may hold an event in another
  // form (a `properties` written as a JSON string spells the key `\"log\"`).
  const starts: number[] = [0];
  for (let at = text.indexOf(quotedKey); at >= 0; at = text.indexOf(quotedKey, at + quotedKey.length)) {
    if (!text.startsWith(keyString, at)) return test(text);
    starts.push(at);
  }
  return starts.some((start, i) => test(text.slice(start, starts[i + 1] ?? text.length)));
}

/** Characters no prefilter literal contains, which encoders commonly write as `\u` escapes. */
const HARMLESS_ESCAPES = '<>&\u2028\u2029';
const UNICODE_ESCAPE = /\\u([0-9a-fA-F]{4})/g;

const HAZARD_BYTES = FOLD_HAZARDS.map((ch) => Buffer.from(ch, 'utf8'));
const NO_HAZARDS: readonly string[] = [];

/** A `\u` escape that may spell part of a literal, or a character that folds into ASCII. */
function unsafe(text: string, hazards: readonly string[]): boolean {
  if (text.includes('\\u')) {
    UNICODE_ESCAPE.lastIndex = 0;
    for (let m = UNICODE_ESCAPE.exec(text); m !== null; m = UNICODE_ESCAPE.exec(text)) {
      if (!HARMLESS_ESCAPES.includes(String.fromCharCode(parseInt(m[1] as string, 16)))) return true;
    }
  }
  return hazards.some((hazard) => text.includes(hazard));
}

/** Any rule's clauses all hold; each clause is one case-insensitive alternation of literals. */
function compileRules(rules: readonly (readonly (readonly string[])[])[]): Matcher {
  const compiled = rules.map((clauses) => clauses.map(literalRegex));
  return (text) => compiled.some((clauses) => clauses.every((re) => re.test(text)));
}

function literalRegex(literals: readonly string[]): RegExp {
  return new RegExp(literals.map(escapeRegex).join('|'), 'i');
}

function escapeRegex(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
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
