import type { RedactionMode } from './redaction-mode.js';
import { redactionToken } from './redaction-token.js';
import { DEFAULT_PATTERNS, STRICT_PATTERNS, type TextPattern } from './text-patterns.js';

/** Replaces every secret shape in a text; the text is returned unchanged (the same string) when there is none. */
export function redactText(text: string, mode: RedactionMode): string {
  if (mode === 'off') return text;
  let out = text;
  for (const pattern of mode === 'strict' ? STRICT_PATTERNS : DEFAULT_PATTERNS) out = apply(pattern, out);
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
