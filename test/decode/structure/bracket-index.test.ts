import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BracketIndex, MAX_BRACKET_INDEX_BYTES } from '../../../src/decode/structure/bracket-index.js';
import { STRUCTURE_WASM } from '../../../src/decode/structure/structure-module.js';
import { packageInfo } from '../../../src/package-info.js';
import { STRUCTURE_KERNEL, kernelModuleText } from '../../../tools/wasm-kernels/compile.js';

/** The brackets outside strings, byte by byte: a backslash escapes the next byte wherever it stands. */
function reference(bytes: Uint8Array): number[] {
  const found: number[] = [];
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (byte === 0x5c) i++;
    else if (byte === 0x22) inString = !inString;
    else if (!inString && (byte === 0x7b || byte === 0x7d || byte === 0x5b || byte === 0x5d)) found.push(i);
  }
  return found;
}

/** Runs of one character, so runs of backslashes and quotes cross the kernel's 64-byte blocks. */
const runs = fc
  .array(
    fc.record({
      ch: fc.constantFrom('\\', '\\', '"', '{', '}', '[', ']', 'a', ' ', '\u00e9'),
      n: fc.integer({ min: 1, max: 70 }),
    }),
    { maxLength: 40, size: 'max' },
  )
  .map((parts) => Buffer.from(parts.map(({ ch, n }) => ch.repeat(n)).join('')));

describe('BracketIndex', () => {
  const index = new BracketIndex();

  it('finds the brackets outside strings, an escaped quote keeping its string open', () => {
    const body = Buffer.from('{"a":"}\\"]","b":[1,{"c":"\\\\"}]}');
    expect([...(index.of(body) ?? [])]).toEqual(reference(body));
    expect([...(index.of(body) ?? [])].map((at) => body.toString('latin1', at, at + 1)).join('')).toBe(
      '{[{}]}',
    );
  });

  it('reads backslash runs of every length across its 64-byte blocks as the byte walk does', () => {
    fc.assert(
      fc.property(runs, fc.integer({ min: 0, max: 63 }), (body, shift) => {
        // Every alignment of the runs against the blocks.
        const shifted = Buffer.concat([Buffer.alloc(shift, 0x61), body]);
        expect([...(index.of(shifted) ?? [])]).toEqual(reference(shifted));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads any bytes as the byte walk does', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600, size: 'max' }), (body) => {
        expect([...(index.of(body) ?? [])]).toEqual(reference(body));
      }),
      { numRuns: 1000 },
    );
  });

  it('forgets a string left open by the body before, and indexes a body larger than its memory was', () => {
    expect([...(index.of(Buffer.from('"{')) ?? [])]).toEqual([]);
    const big = Buffer.from(`${'{"k":"\\\\\\""}'.repeat(30000)}[`);
    expect([...(index.of(big) ?? [])]).toEqual(reference(big));
    expect([...(index.of(Buffer.from('{}')) ?? [])]).toEqual([0, 1]);
  });

  it('has room for a position for every byte, up to the last page', () => {
    // 52,404 brackets: their last position ends exactly where a memory one position short would.
    const body = Buffer.alloc(52_404, 0x7b);
    expect(new BracketIndex().of(body)?.length).toBe(body.length);
  });

  it('leaves a body over its bound to the byte walk', () => {
    expect(index.of(Buffer.alloc(MAX_BRACKET_INDEX_BYTES + 1, 0x7b))).toBeUndefined();
    expect(index.of(Buffer.alloc(MAX_BRACKET_INDEX_BYTES, 0x7b))?.length).toBe(MAX_BRACKET_INDEX_BYTES);
  });

  it('is the module structure.wat compiles to', async () => {
    // Fails when the kernel's source changed without a build: `npm run build` regenerates it.
    const text = await kernelModuleText(packageInfo().root, STRUCTURE_KERNEL);
    expect(text).toContain(`'${STRUCTURE_WASM}'`);
  });
});
