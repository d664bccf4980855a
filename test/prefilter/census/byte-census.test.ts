import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteCensus, MAX_CENSUS_BYTES } from '../../../src/prefilter/census/byte-census.js';
import { CENSUS_WASM } from '../../../src/prefilter/census/census-module.js';
import { CENSUS_KERNEL, kernelModuleText } from '../../../tools/wasm-kernels/compile.js';
import { packageInfo } from '../../../src/package-info.js';

/** The census the slow and obvious way. */
function reference(
  bytes: Uint8Array,
  letters: readonly [number, number],
): { escape: boolean; positions: number[] } {
  const positions: number[] = [];
  let escape = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    if (byte === 0x5c && bytes[i + 1] === 0x75) escape = true;
    if (letters.some((letter) => byte === letter || byte === letter - 0x20)) positions.push(i);
  }
  return { escape, positions };
}

/** Bytes mostly from the letters (both cases), backslashes, `u`, their neighbours in the table and bytes above 0x7f. */
const body = (letters: readonly number[]) =>
  fc
    .array(
      fc.oneof(
        fc.constantFrom(...letters, ...letters.map((l) => l - 0x20), ...letters.map((l) => l ^ 0x01)),
        fc.constantFrom(0x5c, 0x75, 0x55, 0x7c, 0x00, 0x20, 0xff, 0xdc, 0xdf),
        fc.integer({ min: 0, max: 255 }),
      ),
      { maxLength: 300 },
    )
    .map((list) => Uint8Array.from(list));

const letter = fc.integer({ min: 0x61, max: 0x7a });

describe('the census of a body (WebAssembly SIMD)', () => {
  const census = new ByteCensus();

  it('finds `\\u` and every position of either letter in either case, as the obvious loop does', () => {
    fc.assert(
      fc.property(
        fc.tuple(letter, letter).chain((pair) => fc.tuple(fc.constant(pair), body(pair))),
        ([letters, bytes]) => {
          const found = census.run(bytes, letters);
          const expected = reference(bytes, letters);
          expect(found?.unicodeEscape).toBe(expected.escape);
          expect([...(found?.positions ?? [])]).toEqual(expected.positions);
          expect(found?.letters).toBe(letters);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('sees a `\\u` or a letter in the last byte, and nothing of an earlier, longer body after the end', () => {
    const long = new Uint8Array(100).fill(0x6a);
    long.set([0x5c, 0x75], 60);
    expect(census.run(long, [0x6a, 0x6a])?.unicodeEscape).toBe(true);
    // The earlier body's bytes are still in the census memory past this one's end.
    const short = Buffer.from('x\\');
    expect(census.run(short, [0x6a, 0x6a])).toMatchObject({
      unicodeEscape: false,
      positions: new Int32Array(0),
    });
    expect([...(census.run(Buffer.from('ab\\uJ'), [0x6a, 0x77])?.positions ?? [])]).toEqual([4]);
    expect(census.run(Buffer.from('ab\\uJ'), [0x6a, 0x77])?.unicodeEscape).toBe(true);
    expect(census.run(new Uint8Array(0), [0x6a, 0x77])).toMatchObject({ unicodeEscape: false });
  });

  it('grows its memory for a large body, and leaves a body over its bound to the other searches', () => {
    const large = Buffer.alloc(3 * 1024 * 1024, 'a');
    large.write('J', large.length - 1, 'latin1');
    large.write('\\u', 1024 * 1024, 'latin1');
    const found = census.run(large, [0x6a, 0x6a]);
    expect(found?.unicodeEscape).toBe(true);
    expect([...(found?.positions ?? [])]).toEqual([large.length - 1]);
    expect(census.run(Buffer.alloc(MAX_CENSUS_BYTES + 1), [0x6a, 0x6a])).toBeUndefined();
    expect(census.run(Buffer.alloc(64), [0x6a, 0x6a])).toMatchObject({ unicodeEscape: false });
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
    expect(refusing.run(Buffer.alloc(2 * 1024 * 1024, 'j'), [0x6a, 0x6a])).toBeUndefined();
    expect([...(refusing.run(Buffer.from('xjx'), [0x6a, 0x6a])?.positions ?? [])]).toEqual([1]);
    refusal = new TypeError('not a refusal');
    expect(() => refusing.run(Buffer.alloc(2 * 1024 * 1024), [0x6a, 0x6a])).toThrow(TypeError);
  });

  it('is the module census.wat compiles to', async () => {
    // Fails when the kernel's source changed without a build: `npm run build` regenerates it.
    const text = await kernelModuleText(packageInfo().root, CENSUS_KERNEL);
    expect(text).toContain(`'${CENSUS_WASM}'`);
  });
});
