import { RE2JS } from 're2js';
import type { Detection, DetectionItem, SigmaRule } from '../../sigma/rule.js';
import { parseSigmaString } from '../../sigma/sigma-string.js';
import type { Span } from './cut-text.js';
import { escapeRegex } from '../../util/escape-regex.js';

/** Finds where in a text the rule's values match, so a cut can keep that text. */
export type LocateMatch = (text: string) => Span[];

/**
 * Modifiers whose values never appear as such in the text (encoded, numeric, or about other
 * fields). `exists` is not listed: it takes a boolean, which is no text either.
 */
const NOT_LOCATABLE = new Set([
  'base64',
  'base64offset',
  'cidr',
  'fieldref',
  'lt',
  'lte',
  'gt',
  'gte',
  'minute',
  'hour',
  'day',
  'week',
  'month',
  'year',
]);

/** At most this many places are kept in one text: the first match of each of the most specific values. */
const MAX_SPANS = 8;

/**
 * Locates the values of the search identifiers that held (`held`, the keys the rule's explanation
 * lists): regular expressions first, then literals from the longest down. Sigma matches
 * case-insensitively, and so does this.
 */
export function locateRuleMatches(rule: SigmaRule, held: Iterable<string>): LocateMatch {
  const { regexes, literalRegexes } = findersFor(rule, [...held]);
  // The same long text sits in several places of a finding (indicators, workload, record): find it once.
  const found = new Map<string, Span[]>();
  return (text) => {
    const known = found.get(text);
    if (known !== undefined) return known;
    const spans: Span[] = [];
    for (const find of regexes) {
      if (spans.length >= MAX_SPANS) break;
      const span = find(text);
      if (span !== undefined) spans.push(span);
    }
    for (const regex of literalRegexes) {
      if (spans.length >= MAX_SPANS) break;
      const m = regex.exec(text);
      if (m !== null) spans.push([m.index, m.index + m[0].length]);
    }
    found.set(text, spans);
    return spans;
  };
}

interface Finders {
  readonly regexes: readonly Find[];
  readonly literalRegexes: readonly RegExp[];
}

/**
 * Compiled once per rule and set of held identifiers: compiling the rule's regular expressions
 * (RE2 above all) costs about a millisecond, far more than building the finding itself.
 */
const FINDERS = new WeakMap<SigmaRule, Map<string, Finders>>();

function findersFor(rule: SigmaRule, held: readonly string[]): Finders {
  let byHeld = FINDERS.get(rule);
  if (byHeld === undefined) FINDERS.set(rule, (byHeld = new Map<string, Finders>()));
  const key = JSON.stringify(held);
  const known = byHeld.get(key);
  if (known !== undefined) return known;
  const regexes: Find[] = [];
  const literals = new Set<string>();
  for (const name of held) {
    const detection = rule.detections.get(name);
    if (detection !== undefined) for (const item of itemsOf(detection)) collect(item, regexes, literals);
  }
  const literalRegexes = [...literals]
    .sort((a, b) => b.length - a.length)
    .map((literal) => new RegExp(escapeRegex(literal), 'i'));
  const finders = { regexes, literalRegexes };
  byHeld.set(key, finders);
  return finders;
}

function itemsOf(detection: Detection): DetectionItem[] {
  return detection.kind === 'all' ? [...detection.items] : detection.alternatives.flatMap(itemsOf);
}

type Find = (text: string) => Span | undefined;

function collect(item: DetectionItem, regexes: Find[], literals: Set<string>): void {
  if (item.modifiers.some((m) => NOT_LOCATABLE.has(m))) return;
  for (const value of item.values) {
    if (typeof value === 'string' && item.modifiers.includes('re')) {
      const find = regexFinder(value, item.modifiers);
      if (find !== undefined) regexes.push(find);
      continue;
    }
    // A number matches as its text, as the compiler reads it; a boolean or null is no text.
    const parts =
      typeof value === 'string'
        ? parseSigmaString(value).parts.filter((p): p is string => typeof p === 'string')
        : typeof value === 'number'
          ? [String(value)]
          : [];
    const longest = parts.sort((a, b) => b.length - a.length)[0];
    if (longest !== undefined && longest.length >= 3) literals.add(longest);
  }
}

/** A leading `(?i)`-style flag group, which JavaScript regular expressions do not accept inline. */
const INLINE_FLAGS = /^\(\?([ims]+)\)/;

/** Quantifiers and groups that could make a backtracking engine slow; escaped characters excepted. */
const BACKTRACKING = /(?:^|[^\\])(?:\\\\)*[*+?{]/;

/**
 * A regular expression without quantifiers cannot backtrack badly, so it runs on V8's engine
 * (about 100 times faster than re2js on a megabyte of padding); any other runs on RE2.
 */
function regexFinder(source: string, modifiers: readonly string[]): Find | undefined {
  const inline = INLINE_FLAGS.exec(source);
  const body = inline === null ? source : source.slice(inline[0].length);
  const flags = new Set(
    [...(inline?.[1] ?? '')].concat(modifiers.filter((m) => m === 'i' || m === 'm' || m === 's')),
  );
  if (!BACKTRACKING.test(body)) {
    try {
      // `u`: as in RE2, `.` takes a code point, and an escape JavaScript lacks (`\pN`, `\Q`) is an error, not a letter.
      const regex = new RegExp(body, [...flags, 'u'].join(''));
      return (text) => {
        const m = regex.exec(text);
        return m === null ? undefined : [m.index, m.index + m[0].length];
      };
    } catch {
      // RE2 syntax JavaScript lacks (\pN, \Q…\E): RE2 below.
    }
  }
  try {
    const regex = RE2JS.compile(
      source,
      (flags.has('i') ? RE2JS.CASE_INSENSITIVE : 0) |
        (flags.has('m') ? RE2JS.MULTILINE : 0) |
        (flags.has('s') ? RE2JS.DOTALL : 0),
    );
    return (text) => {
      const matcher = regex.matcher(text);
      return matcher.find() ? [matcher.start(), Math.max(matcher.start(), matcher.end())] : undefined;
    };
  } catch {
    // The rule compiled, so this cannot fail; a value that does only loses its anchor.
    return undefined;
  }
}
