/**
 * Non-ASCII characters that the matcher's case folding (`toLowerCase`) turns into ASCII letters,
 * such as U+212A KELVIN SIGN → `k` and U+0130 → `i̇`. A body holding one could match a literal it
 * does not spell, so the prefilter lets such bodies through to a full parse.
 */
export const FOLD_HAZARDS: readonly string[] = (() => {
  const out: string[] = [];
  for (let code = 0x80; code <= 0xffff; code++) {
    if (code >= 0xd800 && code <= 0xdfff) continue;
    const ch = String.fromCharCode(code);
    if (/[\x21-\x7e]/.test(ch.toLowerCase())) out.push(ch);
  }
  return out;
})();

/** The hazards as their UTF-8 bytes read as latin1, the form a raw body is scanned in. */
export const FOLD_HAZARDS_LATIN1: readonly string[] = FOLD_HAZARDS.map((ch) =>
  Buffer.from(ch, 'utf8').toString('latin1'),
);
