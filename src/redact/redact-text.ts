import type { RedactionMode } from './redaction-mode.js';
import { redactionToken } from './redaction-token.js';
import { DEFAULT_PATTERNS, STRICT_PATTERNS, type TextPattern } from './text-patterns.js';

/**
 * Every pattern of a mode in one regular expression, case ignored: it matches wherever one of them
 * would (and now and then where none does), so a text without a secret shape, nearly every text,
 * costs one search instead of one per pattern.
 */
export function anyOf(patterns: readonly TextPattern[]): RegExp {
  for (const { kind, regex } of patterns)
    if (!/^g?i?$/.test(regex.flags))
      throw new Error(`pattern ${kind}: flag ${regex.flags} cannot join the union`);
  return new RegExp(patterns.map(({ regex }) => `(?:${regex.source})`).join('|'), 'i');
}

const ANY_DEFAULT = anyOf(DEFAULT_PATTERNS);
const ANY_STRICT = anyOf(STRICT_PATTERNS);

/** Replaces every secret shape in a text; the text is returned unchanged (the same string) when there is none. */
export function redactText(text: string, mode: RedactionMode): string {
  if (mode === 'off') return text;
  const strict = mode === 'strict';
  if (!(strict ? ANY_STRICT : ANY_DEFAULT).test(text)) return text;
  let out = text;
  for (const pattern of strict ? STRICT_PATTERNS : DEFAULT_PATTERNS) out = apply(pattern, out);
  return out;
}

function apply(pattern: TextPattern, text: string): string {
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
