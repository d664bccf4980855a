import { ANY_RUN, type SigmaStringPart } from './sigma-string.js';
import { compileStringPattern, testStringPattern } from './string-pattern.js';

/**
 * Which search identifiers `1 of` / `all of` select: `them` (null) or a `*` pattern, both leaving
 * out identifiers that start with `_`, as pySigma does. Patterns run on the linear-time glob
 * matcher: a RegExp built from `a*a*a*…b` backtracks for minutes.
 */
export function identifierSelector(pattern: string | null): (name: string) => boolean {
  if (pattern === null) return (name) => !name.startsWith('_');
  const parts: SigmaStringPart[] = [];
  for (const [i, piece] of pattern.split('*').entries()) {
    if (i > 0 && parts[parts.length - 1] !== ANY_RUN) parts.push(ANY_RUN);
    if (piece !== '') parts.push(piece);
  }
  const compiled = compileStringPattern({ parts }, true);
  return (name) => !name.startsWith('_') && testStringPattern(compiled, name);
}
