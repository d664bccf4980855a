import type { RedactionMode } from './redaction-mode.js';
import { redactionToken } from './redaction-token.js';
import { DEFAULT_PATTERNS, STRICT_PATTERNS, type TextPattern } from './text-patterns.js';

/**
 * The patterns of a mode, and one search for all of them: the patterns with no `within` test in
 * one regular expression, case ignored (it matches wherever one of them would, and now and then
 * where none does), and the others' `within` tests. A text without a secret shape, nearly every
 * text, then costs one search instead of one per pattern.
 */
export interface PatternSet {
  readonly patterns: readonly TextPattern[];
  mayHold(text: string): boolean;
}

export function patternSet(patterns: readonly TextPattern[]): PatternSet {
  for (const { kind, regex } of patterns)
    if (!/^g?i?$/.test(regex.flags))
      throw new Error(`pattern ${kind}: flag ${regex.flags} cannot join the union`);
  const plain = patterns.filter((p) => p.within === undefined);
  const union = new RegExp(plain.map(({ regex }) => `(?:${regex.source})`).join('|') || '(?!)', 'i');
  const tests = patterns.flatMap((p) => (p.within === undefined ? [] : [p.within]));
  return { patterns, mayHold: (text) => union.test(text) || tests.some((within) => within(text)) };
}

const DEFAULT_SET = patternSet(DEFAULT_PATTERNS);
const STRICT_SET = patternSet(STRICT_PATTERNS);

/** Replaces every secret shape in a text; the text is returned unchanged (the same string) when there is none. */
export function redactText(text: string, mode: RedactionMode): string {
  if (mode === 'off') return text;
  const set = mode === 'strict' ? STRICT_SET : DEFAULT_SET;
  if (!set.mayHold(text)) return text;
  let out = text;
  for (const pattern of set.patterns) out = apply(pattern, out);
  return out;
}

function apply(pattern: TextPattern, text: string): string {
  if (pattern.within?.(text) === false) return text;
  pattern.regex.lastIndex = 0;
  if (!pattern.regex.test(text)) return text;
  pattern.regex.lastIndex = 0;
  return text.replace(pattern.regex, (match: string, prefix: unknown, secret: unknown) => {
    if (!pattern.prefixed) return isToken(match) ? match : redactionToken(pattern.kind, match);
    const kept = typeof prefix === 'string' ? prefix : '';
    const value = typeof secret === 'string' ? secret : '';
    return isToken(value) ? match : `${kept}${redactionToken(pattern.kind, value)}`;
  });
}

/** A value that is already a token stays as it is, so redacting twice changes nothing. */
function isToken(text: string): boolean {
  return text.startsWith('[redacted:');
}
