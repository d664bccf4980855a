import { describe, expect, it } from 'vitest';
import { FOLD_HAZARDS, FOLD_HAZARDS_LATIN1 } from '../../src/prefilter/fold-hazards.js';

/** Every non-ASCII code point whose lower case holds a printable ASCII character, as this Node folds. */
function recomputeHazards(): string[] {
  const out: string[] = [];
  for (let code = 0x80; code <= 0x10ffff; code++) {
    if (code >= 0xd800 && code <= 0xdfff) continue;
    const ch = String.fromCodePoint(code);
    if (/[\x21-\x7e]/.test(ch.toLowerCase())) out.push(ch);
  }
  return out;
}

describe('fold hazards', () => {
  it('the constant list is exactly what toLowerCase folds into ASCII, over every code point', () => {
    // Fails when a Node/ICU upgrade adds or removes a fold: update FOLD_HAZARDS then.
    expect(FOLD_HAZARDS).toEqual(recomputeHazards());
  });

  it('the latin1 forms are the UTF-8 bytes of each hazard', () => {
    expect(FOLD_HAZARDS_LATIN1).toEqual(['\u00c4\u00b0', '\u00e2\u0084\u00aa']);
    expect(FOLD_HAZARDS_LATIN1.map((s) => Buffer.from(s, 'latin1').toString('utf8'))).toEqual(FOLD_HAZARDS);
  });
});
