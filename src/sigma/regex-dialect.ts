/**
 * Where RE2 (which runs `re` values, in linear time) departs from PCRE, which Sigma rule authors
 * usually test against. Constructs RE2 cannot run are named in the compile error; constructs it
 * runs differently become lint warnings.
 */
const PCRE_ONLY: readonly { readonly pattern: RegExp; readonly name: string }[] = [
  { pattern: /\(\?<?[=!]/, name: 'lookaround ((?=…), (?!…), (?<=…), (?<!…))' },
  { pattern: /\\[1-9]|\\k[<{']/, name: 'backreference (\\1, \\k<name>)' },
  { pattern: /\(\?>/, name: 'atomic group ((?>…))' },
  { pattern: /[*+?}]\+/, name: 'possessive quantifier (*+, ++, ?+)' },
  { pattern: /\(\?(?:R|\d|&|P>)/, name: 'recursion or subroutine call ((?R), (?1))' },
  { pattern: /\(\?\(/, name: 'conditional ((?(…)…))' },
  { pattern: /\\[GZ]/, name: 'anchor \\G or \\Z' },
];

/** The PCRE-only construct in `source`, if the regex uses one (escaped backslashes are skipped). */
export function pcreOnlyConstruct(source: string): string | undefined {
  const unescaped = source.replace(/\\\\/g, '');
  return PCRE_ONLY.find(({ pattern }) => pattern.test(unescaped))?.name;
}

/**
 * Without the `m` flag, PCRE's `$` also matches before a final line break; RE2's only at the very
 * end. A `$` outside a character class is worth a warning.
 */
export function dollarDiffers(source: string, multiline: boolean): boolean {
  if (multiline || /\(\?[a-zA-Z]*m[a-zA-Z]*[):]/.test(source)) return false;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (c === '$' && !inClass) return true;
  }
  return false;
}
