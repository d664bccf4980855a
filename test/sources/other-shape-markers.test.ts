import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mayHoldOtherShape, RECORD_SHAPES } from '../../src/sources/shapes.js';

const MARKERS = [...RECORD_SHAPES.map((s) => s.marker), '"items"', '"tables"'];

/** Text around markers: their pieces, quotes, escapes and characters beyond ASCII. */
const text = fc
  .array(
    fc.oneof(
      fc.constantFrom(...MARKERS),
      fc.constantFrom(...MARKERS).map((m) => m.slice(0, -1)),
      fc.constantFrom(...MARKERS).map((m) => `\\${m.slice(0, -1)}\\"`),
      fc.constantFrom('"', '\\', ':', 'é', '\u212a', '\u{1f600}', 'items', 'AuditI'),
      fc.string({ maxLength: 6 }),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(''));

describe('mayHoldOtherShape', () => {
  it('says yes exactly when the text holds a marker, as text and as its UTF-8 bytes', () => {
    fc.assert(
      fc.property(text, (t) => {
        const expected = MARKERS.some((m) => t.includes(m));
        expect(mayHoldOtherShape(t)).toBe(expected);
        expect(mayHoldOtherShape(Buffer.from(t, 'utf8'))).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads a view into a larger buffer only within its bounds', () => {
    const whole = Buffer.from('{"items":[]}{"records":[]}');
    expect(mayHoldOtherShape(whole.subarray(12))).toBe(false);
    expect(mayHoldOtherShape(whole.subarray(0, 12))).toBe(true);
    expect(mayHoldOtherShape(whole.subarray(1, 8))).toBe(true);
    expect(mayHoldOtherShape(whole.subarray(2, 8))).toBe(false);
  });

  it('finds every marker, and not one whose quotes are escaped inside a string', () => {
    for (const marker of MARKERS) {
      expect(mayHoldOtherShape(Buffer.from(`{${marker}:1}`)), marker).toBe(true);
      expect(mayHoldOtherShape(`{"log":"{\\${marker.slice(0, -1)}\\":1}"}`), marker).toBe(false);
    }
  });
});
