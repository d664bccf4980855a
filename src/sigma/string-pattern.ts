import { assertNever } from './assert-never.js';
import { ANY_CHAR, ANY_RUN, type SigmaString } from './sigma-string.js';

/**
 * A Sigma string compiled to the cheapest matcher kind that expresses it. Literals are
 * case-folded here, at compile time, unless the pattern is cased.
 */
export type StringPattern =
  | { readonly kind: 'exact'; readonly text: string; readonly cased: boolean }
  | { readonly kind: 'prefix'; readonly text: string; readonly cased: boolean }
  | { readonly kind: 'suffix'; readonly text: string; readonly cased: boolean }
  | { readonly kind: 'contains'; readonly text: string; readonly cased: boolean }
  | { readonly kind: 'any'; readonly cased: boolean }
  | { readonly kind: 'glob'; readonly tokens: readonly GlobToken[]; readonly cased: boolean };

type GlobToken = string | typeof ANY_RUN | typeof ANY_CHAR;

export function foldCase(text: string): string {
  return text.toLowerCase();
}

export function compileStringPattern(value: SigmaString, cased: boolean): StringPattern {
  const parts = value.parts.map((p) => (typeof p === 'string' && !cased ? foldCase(p) : p));
  const n = parts.length;
  const first = parts[0];
  const last = parts[n - 1];
  if (n === 0) return { kind: 'exact', text: '', cased };
  if (n === 1 && typeof first === 'string') return { kind: 'exact', text: first, cased };
  if (n === 1 && first === ANY_RUN) return { kind: 'any', cased };
  if (n === 2 && typeof first === 'string' && last === ANY_RUN) return { kind: 'prefix', text: first, cased };
  if (n === 2 && first === ANY_RUN && typeof last === 'string') return { kind: 'suffix', text: last, cased };
  const middle = parts[1];
  if (n === 3 && first === ANY_RUN && last === ANY_RUN && typeof middle === 'string') {
    return { kind: 'contains', text: middle, cased };
  }
  return { kind: 'glob', tokens: parts, cased };
}

/** `subject` must already be folded when the pattern is not cased. */
export function testStringPattern(pattern: StringPattern, subject: string): boolean {
  switch (pattern.kind) {
    case 'exact':
      return subject === pattern.text;
    case 'prefix':
      return subject.startsWith(pattern.text);
    case 'suffix':
      return subject.endsWith(pattern.text);
    case 'contains':
      return subject.includes(pattern.text);
    case 'any':
      return true;
    case 'glob':
      return globMatch(pattern.tokens, subject);
    default:
      return assertNever(pattern);
  }
}

/**
 * Wildcard matching with one backtrack point (the last `*`): O(n·m) worst case, never exponential.
 * Hand-written because a RegExp built from a glob can backtrack catastrophically on
 * attacker-controlled input.
 */
function globMatch(tokens: readonly GlobToken[], subject: string): boolean {
  let t = 0;
  let s = 0;
  let starToken = -1;
  let starSubject = 0;
  while (s < subject.length || t < tokens.length) {
    const token = tokens[t];
    if (token === ANY_RUN) {
      starToken = t;
      starSubject = s;
      t++;
      continue;
    }
    if (token === ANY_CHAR && s < subject.length) {
      t++;
      s += codePointLength(subject, s);
      continue;
    }
    if (typeof token === 'string' && subject.startsWith(token, s)) {
      t++;
      s += token.length;
      continue;
    }
    if (starToken >= 0 && starSubject < subject.length) {
      starSubject += codePointLength(subject, starSubject);
      s = starSubject;
      t = starToken + 1;
      continue;
    }
    return false;
  }
  return true;
}

/** `?` stands for one character, i.e. one code point: a surrogate pair is one. */
function codePointLength(subject: string, index: number): number {
  const code = subject.codePointAt(index) ?? 0;
  return code > 0xffff ? 2 : 1;
}
