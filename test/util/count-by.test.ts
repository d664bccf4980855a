import { describe, expect, it } from 'vitest';
import { countBy } from '../../src/util/count-by.js';

describe('counting by a key taken from input', () => {
  it("counts keys that name Object.prototype's members as any other key", () => {
    const counts: Record<string, number> = {};
    for (const key of ['constructor', 'toString', '__proto__', '__proto__', 'argocd-hooks'])
      countBy(counts, key);
    expect(Object.getPrototypeOf(counts)).toBe(Object.prototype);
    expect(Object.entries(counts)).toEqual([
      ['constructor', 1],
      ['toString', 1],
      ['__proto__', 2],
      ['argocd-hooks', 1],
    ]);
    expect(JSON.parse(JSON.stringify(counts))).toEqual(
      JSON.parse('{"constructor":1,"toString":1,"__proto__":2,"argocd-hooks":1}'),
    );
    // The detector's report is handed out as a structured clone: the counts survive it.
    expect(Object.entries(structuredClone(counts))).toEqual(Object.entries(counts));
  });
});
