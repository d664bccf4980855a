import type { SourceKind } from '../sources/source-kind.js';
import { FOLD_HAZARDS, FOLD_HAZARDS_LATIN1 } from './fold-hazards.js';

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
    if (typeof body === 'string') return this.testText(body) || unsafe(body, FOLD_HAZARDS);
    const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    // Byte searches first (memchr speed); the case-insensitive scans run on a latin1 view.
    if (HAZARD_BYTES.some((hazard) => bytes.includes(hazard))) return true;
    const text = bytes.toString('latin1');
    if (this.sentinel !== undefined && !this.sentinel.test(text)) return false;
    return this.testText(text) || unsafe(text, FOLD_HAZARDS_LATIN1);
  }

  /**
   * The same for the event text a record of `source` embeds (an AKS record's `properties.log`),
   * before it is parsed; undefined when the source embeds none or is not prefiltered.
   */
  embeddedGate(source: SourceKind): ((text: string) => boolean) | undefined {
    return this.embedded.get(source);
  }

  private testText(text: string): boolean {
    return (this.alternatives ?? []).some((alternative) => {
      if (alternative.gate !== undefined && !alternative.gate.test(text)) return false;
      // Whole text first: when no rule holds across the body, none holds within one record.
      if (!alternative.rules(text)) return false;
      return (
        alternative.embeddedKey === undefined ||
        someEmbeddedSegment(text, alternative.embeddedKey, alternative.rules)
      );
    });
  }
}

type Matcher = (text: string) => boolean;

interface Alternative {
  /** A literal every record of the source holds; absent when it would reject nothing the rules do not. */
  readonly gate: RegExp | undefined;
  /** Rules must hold within one record's embedded text (`"log":"…"`), not across the records of a body. */
  readonly embeddedKey: string | undefined;
  readonly rules: Matcher;
}

/**
 * Tests the body piece by piece so each embedded string (`"log":"…"`) lies whole in one piece: a
 * key with raw quotes cannot occur inside a JSON string. When one is not written as `"key":"…"`
 * (an object from a forwarder, or spacing), the whole body is tested as one piece, which only
 * lets more through.
 */
function someEmbeddedSegment(text: string, key: string, test: Matcher): boolean {
  const quotedKey = `"${key}"`;
  const keyString = `"${key}":"`;
  const starts: number[] = [];
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
