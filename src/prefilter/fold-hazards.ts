/**
 * Non-ASCII characters that the matcher's case folding (`toLowerCase`) turns into ASCII letters:
 * U+0130 LATIN CAPITAL LETTER I WITH DOT ABOVE → `i̇` and U+212A KELVIN SIGN → `k`. A body holding
 * one could match a literal it does not spell, so the prefilter lets such bodies through to a full
 * parse. A constant, not computed at start-up (a loop over every code point costs ~12 ms per
 * process); test/prefilter/fold-hazards.test.ts recomputes it, so a Unicode/ICU change is caught.
 */
export const FOLD_HAZARDS: readonly string[] = ['\u0130', '\u212a'];

/** The hazards as their UTF-8 bytes read as latin1, the form a raw body is scanned in. */
export const FOLD_HAZARDS_LATIN1: readonly string[] = FOLD_HAZARDS.map((ch) =>
  Buffer.from(ch, 'utf8').toString('latin1'),
);
