import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBody } from '../../src/decode/decode-body.js';
import { mayHoldOtherShape, RECORD_SHAPES } from '../../src/sources/shapes.js';

const RECORD_MARKERS = RECORD_SHAPES.map((s) => s.marker);
const ENVELOPE_MARKERS = ['"items"', '"tables"'];
const MARKERS = [...RECORD_MARKERS, ...ENVELOPE_MARKERS];

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
  .chain((parts) => fc.constantFrom('', '', '{"records":').map((opening) => opening + parts.join('')));

describe('mayHoldOtherShape', () => {
  it('says yes exactly when the text holds a marker, as text and as its UTF-8 bytes', () => {
    fc.assert(
      fc.property(text, (t) => {
        const expected = MARKERS.some((m) => t.includes(m));
        expect(mayHoldOtherShape(t)).toBe(expected);
        // Bytes that open as an export envelope are searched for record markers only.
        const envelope = t.startsWith('{"records":');
        const inBytes = RECORD_MARKERS.some((m) => t.includes(m)) || (!envelope && expected);
        expect(mayHoldOtherShape(Buffer.from(t, 'utf8'))).toBe(inBytes);
      }),
      { numRuns: 2000 },
    );
  });

  it('needs no container marker in an export envelope, whose records are taken as they are', () => {
    const list = { kind: 'EventList', items: [{ verb: 'create' }] };
    const body = JSON.stringify({ records: [list] });
    expect(mayHoldOtherShape(Buffer.from(body))).toBe(false);
    expect(decodeBody(body).records).toEqual([list]);
    // The same container at the top level is opened, so it is searched for there.
    expect(mayHoldOtherShape(Buffer.from(JSON.stringify(list)))).toBe(true);
    expect(decodeBody(JSON.stringify(list)).records).toEqual(list.items);
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
