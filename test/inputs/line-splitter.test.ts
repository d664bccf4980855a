import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../src/inputs/line-splitter.js';

/** Every line of the input, fed as the given chunks, as latin1 text for readable failures. */
function split(chunks: readonly Uint8Array[]): string[] {
  const splitter = new LineSplitter();
  const lines = chunks.flatMap((chunk) => splitter.push(Buffer.from(chunk)));
  const last = splitter.end();
  return [...lines, ...(last === undefined ? [] : [last])].map((line) => line.toString('latin1'));
}

/** The reference: split on LF, drop one CR before it, no line after a final LF. */
function reference(bytes: Uint8Array): string[] {
  const pieces = Buffer.from(bytes).toString('latin1').split('\n');
  if (pieces.at(-1) === '') pieces.pop();
  return pieces.map((p) => (p.endsWith('\r') ? p.slice(0, -1) : p));
}

/** Bytes rich in line ends: LF, CR, CRLF, a BOM's bytes and other bytes. */
const bytes = fc
  .array(
    fc.oneof(fc.constantFrom(0x0a, 0x0d, 0x7b, 0x22, 0xef, 0xbb, 0xbf), fc.integer({ min: 0, max: 255 })),
    { maxLength: 200 },
  )
  .map((a) => Uint8Array.from(a));

/** The bytes cut at arbitrary offsets (empty chunks included). */
function cutAt(input: Uint8Array, offsets: readonly number[]): Uint8Array[] {
  const cuts = [...offsets.map((o) => o % (input.length + 1))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const cut of cuts) {
    chunks.push(input.subarray(start, cut));
    start = cut;
  }
  chunks.push(input.subarray(start));
  return chunks;
}

describe('LineSplitter', () => {
  it('gives the same lines whatever the chunk boundaries, and the reference split', () => {
    fc.assert(
      fc.property(bytes, fc.array(fc.nat(), { maxLength: 20 }), (input, offsets) => {
        const whole = split([input]);
        expect(split(cutAt(input, offsets))).toEqual(whole);
        expect(whole).toEqual(reference(input));
      }),
      { numRuns: 1000 },
    );
  });

  it('drops a CR whose LF comes in the next chunk, and keeps a last line without a newline', () => {
    expect(split([Buffer.from('{"a":1}\r'), Buffer.from('\n{"b"'), Buffer.from(':2}')])).toEqual([
      '{"a":1}',
      '{"b":2}',
    ]);
  });

  it('keeps empty lines (line numbers count them) and gives none after a final newline', () => {
    expect(split([Buffer.from('a\n\r\n\nb\n')])).toEqual(['a', '', '', 'b']);
    expect(split([])).toEqual([]);
    expect(split([Buffer.from('\n')])).toEqual(['']);
  });

  it('keeps what a line carries over to the next chunk, though the chunk is filled again', () => {
    const splitter = new LineSplitter();
    const chunk = Buffer.from('ab\ncd');
    expect(splitter.push(chunk).map(String)).toEqual(['ab']);
    chunk.fill('X');
    expect(splitter.push(Buffer.from('e\n')).map(String)).toEqual(['cde']);
  });

  it('gives the last line once: the splitter is empty after its end', () => {
    const splitter = new LineSplitter();
    expect(splitter.push(Buffer.from('a\nb'))).toHaveLength(1);
    expect(splitter.end()?.toString()).toBe('b');
    expect(splitter.end()).toBeUndefined();
    expect(splitter.push(Buffer.from('c\n')).map(String)).toEqual(['c']);
  });

  it('hands a line inside one chunk on as a view of it, not a copy', () => {
    const chunk = Buffer.from(new TextEncoder().encode('one\ntwo\n').buffer);
    const [first] = new LineSplitter().push(chunk);
    expect(first?.buffer).toBe(chunk.buffer);
  });
});
