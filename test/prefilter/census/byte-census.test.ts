import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteCensus, MAX_CENSUS_BYTES, type CensusKey } from '../../../src/prefilter/census/byte-census.js';
import { CENSUS_WASM } from '../../../src/prefilter/census/census-module.js';
import { CENSUS_KERNEL, kernelModuleText } from '../../../tools/wasm-kernels/compile.js';
import { packageInfo } from '../../../src/package-info.js';

/** Whether `byte` is `small` (or, when that is a small letter, its capital). */
const sameLetter = (byte: number | undefined, small: number): boolean =>
  byte === small || (small >= 0x61 && small <= 0x7a && byte === small - 0x20);

/** The census the slow and obvious way: each `\\u`'s backslash and each key's letter, in order. */
function reference(bytes: Uint8Array, keys: readonly CensusKey[]): { escape: boolean; positions: number[] } {
  const positions: number[] = [];
  let escape = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    const startsEscape = byte === 0x5c && bytes[i + 1] === 0x75;
    if (startsEscape) escape = true;
    const stands = ({ letter, beside }: CensusKey) =>
      sameLetter(byte, letter) && (beside === undefined || sameLetter(bytes[i + beside.offset], beside.byte));
    if (startsEscape || keys.some(stands)) positions.push(i);
  }
  return { escape, positions };
}

/** Bytes mostly from the keys' letters and bytes (both cases), backslashes, `u`, their neighbours in the table and bytes above 0x7f. */
const body = (keys: readonly CensusKey[]) => {
  const wanted = keys.flatMap(({ letter, beside }) => [
    letter,
    ...(beside === undefined ? [] : [beside.byte]),
  ]);
  return fc
    .array(
      fc.oneof(
        fc.constantFrom(...wanted, ...wanted.map((l) => l - 0x20), ...wanted.map((l) => l ^ 0x01)),
        fc.constantFrom(0x5c, 0x75, 0x55, 0x7c, 0x00, 0x20, 0xff, 0xdc, 0xdf),
        fc.integer({ min: 0, max: 255 }),
      ),
      { maxLength: 300, size: 'max' },
    )
    .map((list) => Uint8Array.from(list));
};

const letter = fc.integer({ min: 0x61, max: 0x7a });
/** A key: a letter alone, or with a small letter or another byte (never NUL: the padding is NUL) beside it. */
const key: fc.Arbitrary<CensusKey> = fc.oneof(
  letter.map((l) => ({ letter: l })),
  fc.record({
    letter,
    beside: fc.record({
      offset: fc.constantFrom(1 as const, -1 as const),
      byte: fc.oneof(letter, fc.constantFrom(0x22, 0x2d, 0x2f, 0x3a, 0x5c, 0x30, 0x7b, 0x40)),
    }),
  }),
);
const J = { letter: 0x6a };
const W = { letter: 0x77 };

describe('the census of a body (WebAssembly SIMD)', () => {
  const census = new ByteCensus();

  it('finds `\\u` and every position of either key, as the obvious loop does', () => {
    fc.assert(
      fc.property(
        fc.tuple(key, key).chain((keys) => fc.tuple(fc.constant(keys), body(keys))),
        ([keys, bytes]) => {
          const found = census.run(bytes, keys);
          const expected = reference(bytes, keys);
          expect(found?.unicodeEscape).toBe(expected.escape);
          expect([...(found?.positions ?? [])]).toEqual(expected.positions);
          expect(found?.keys).toBe(keys);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('takes a letter only beside its byte, in either case for a letter and as it is for any other', () => {
    const jo: CensusKey = { letter: 0x6a, beside: { offset: 1, byte: 0x6f } };
    const slashW: CensusKey = { letter: 0x77, beside: { offset: -1, byte: 0x2f } };
    const found = census.run(Buffer.from('jobs JOBS jx /write /W w/ ?w Jo'), [jo, slashW]);
    expect([...(found?.positions ?? [])]).toEqual([0, 5, 14, 21, 29]);
    // The byte before the body's first is not the body's: a key reaching back finds nothing there.
    expect([...(census.run(Buffer.from('w/w'), [slashW, slashW])?.positions ?? [])]).toEqual([2]);
    // Nor the one after its last.
    expect([...(census.run(Buffer.from('xj'), [jo, jo])?.positions ?? [])]).toEqual([]);
  });

  it('finds a lone letter of either key at any place of a turn', () => {
    const jo: CensusKey = { letter: 0x6a, beside: { offset: 1, byte: 0x6f } };
    const slashW: CensusKey = { letter: 0x77, beside: { offset: -1, byte: 0x2f } };
    for (let at = 1; at < 70; at++)
      for (const [key, text] of [
        [J, 'J'],
        [W, 'w'],
        [jo, 'jO'],
        [slashW, '/W'],
      ] as const) {
        const bytes = Buffer.alloc(72, 'x');
        bytes.write(text, key === slashW ? at - 1 : at, 'latin1');
        expect([
          ...(census.run(bytes, key === J || key === jo ? [key, W] : [J, key])?.positions ?? []),
        ]).toEqual([at]);
      }
  });

  it('compares a small letter beside the key in either case, and any other byte as it is', () => {
    const ja: CensusKey = { letter: 0x6a, beside: { offset: 1, byte: 0x61 } };
    const jz: CensusKey = { letter: 0x6a, beside: { offset: 1, byte: 0x7a } };
    expect([...(census.run(Buffer.from('ja JA jA jb jz JZ'), [ja, jz])?.positions ?? [])]).toEqual([
      0, 3, 6, 12, 15,
    ]);
    // `[` is `{` with the case bit off: no letter, so no case to fold.
    const brace: CensusKey = { letter: 0x6a, beside: { offset: 1, byte: 0x7b } };
    expect([...(census.run(Buffer.from('j{ j[ J{ J['), [brace, brace])?.positions ?? [])]).toEqual([0, 6]);
  });

  it('reads nothing of an earlier body past the end: neither a `u` after a last backslash nor a byte beside a last letter', () => {
    const jo: CensusKey = { letter: 0x6a, beside: { offset: 1, byte: 0x6f } };
    for (let length = 1; length < 80; length++) {
      const head = 'x'.repeat(length - 1);
      expect(census.run(Buffer.from(`${head}\\u`), [jo, jo])).toMatchObject({ unicodeEscape: true });
      expect(census.run(Buffer.from(`${head}\\`), [jo, jo])).toMatchObject({ unicodeEscape: false });
      expect([...(census.run(Buffer.from(`${head}jo`), [jo, jo])?.positions ?? [])]).toEqual([length - 1]);
      expect([...(census.run(Buffer.from(`${head}j`), [jo, jo])?.positions ?? [])]).toEqual([]);
    }
  });

  it('takes every byte of a body made of the letter, and claims about five bytes of memory a body byte', () => {
    // A length where the positions end 4 bytes past a page: memory for one position fewer traps.
    const length = 65_524;
    const fresh = new ByteCensus();
    const found = fresh.run(Buffer.alloc(length, 'j'), [J, J]);
    expect(found?.positions.length).toBe(length);
    expect(found?.positions[length - 1]).toBe(length - 1);
    // wasm memory is never given back: it grows to what the body needs, not past it.
    const { memory } = Reflect.get(fresh, 'exports') as { memory: { buffer: ArrayBuffer } };
    expect(memory.buffer.byteLength).toBeLessThanOrEqual(5 * length + 2 * 64 * 1024);
  });

  it('censuses a body of exactly its bound', () => {
    const bound = Buffer.alloc(MAX_CENSUS_BYTES, 'a');
    bound.write('J', MAX_CENSUS_BYTES - 1, 'latin1');
    expect([...(new ByteCensus().run(bound, [J, J])?.positions ?? [])]).toEqual([MAX_CENSUS_BYTES - 1]);
  });

  it('sees a `\\u` or a letter in the last byte, and nothing of an earlier, longer body after the end', () => {
    const long = new Uint8Array(100).fill(0x6a);
    long.set([0x5c, 0x75], 60);
    expect(census.run(long, [J, J])?.unicodeEscape).toBe(true);
    // The earlier body's bytes are still in the census memory past this one's end.
    const short = Buffer.from('x\\');
    expect(census.run(short, [J, J])).toMatchObject({
      unicodeEscape: false,
      positions: new Int32Array(0),
    });
    // The backslash of `\\u` is a position, as the keys' letters are.
    expect([...(census.run(Buffer.from('ab\\uJ'), [J, W])?.positions ?? [])]).toEqual([2, 4]);
    expect(census.run(Buffer.from('ab\\uJ'), [J, W])?.unicodeEscape).toBe(true);
    expect(census.run(new Uint8Array(0), [J, W])).toMatchObject({ unicodeEscape: false });
  });

  it('grows its memory for a large body, and leaves a body over its bound to the other searches', () => {
    const large = Buffer.alloc(3 * 1024 * 1024, 'a');
    large.write('J', large.length - 1, 'latin1');
    large.write('\\u', 1024 * 1024, 'latin1');
    const found = census.run(large, [J, J]);
    expect(found?.unicodeEscape).toBe(true);
    expect([...(found?.positions ?? [])]).toEqual([1024 * 1024, large.length - 1]);
    expect(census.run(Buffer.alloc(MAX_CENSUS_BYTES + 1), [J, J])).toBeUndefined();
    expect(census.run(Buffer.alloc(64), [J, J])).toMatchObject({ unicodeEscape: false });
  });

  it('leaves the body to the other searches when the engine refuses to grow its memory', () => {
    const refusing = new ByteCensus();
    const { memory } = Reflect.get(refusing, 'exports') as { memory: { grow(pages: number): number } };
    let refusal: Error = new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded');
    Object.defineProperty(memory, 'grow', {
      value: () => {
        throw refusal;
      },
    });
    expect(refusing.run(Buffer.alloc(2 * 1024 * 1024, 'j'), [J, J])).toBeUndefined();
    expect([...(refusing.run(Buffer.from('xjx'), [J, J])?.positions ?? [])]).toEqual([1]);
    refusal = new TypeError('not a refusal');
    expect(() => refusing.run(Buffer.alloc(2 * 1024 * 1024), [J, J])).toThrow(TypeError);
  });

  it('is the module census.wat compiles to', async () => {
    // Fails when the kernel's source changed without a build: `npm run build` regenerates it.
    const text = await kernelModuleText(packageInfo().root, CENSUS_KERNEL);
    expect(text).toContain(`'${CENSUS_WASM}'`);
  });
});
