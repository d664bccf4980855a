import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LITERAL_SET_WASM } from '../../../src/util/literal-set/literal-set-module.js';
import { LiteralSet, MAX_LITERAL_SET_BYTES } from '../../../src/util/literal-set/literal-set.js';
import { packageInfo } from '../../../src/package-info.js';
import { LITERAL_SET_KERNEL, kernelModuleText } from '../../../tools/wasm-kernels/compile.js';

const MARKERS = ['"OperationNameValue"', '"eventTimestamp"', '"AuditId"', '"auditID"', '"log_s"'];

/** The answer the obvious way. */
const reference = (literals: readonly string[], bytes: Uint8Array): boolean =>
  literals.some((literal) => Buffer.from(bytes).includes(Buffer.from(literal, 'latin1')));

/** Bodies built from pieces of the literals (whole, cut short, off by a letter's case) and noise. */
const body = (literals: readonly string[]) =>
  fc
    .array(
      fc.oneof(
        fc.constantFrom(...literals),
        fc.constantFrom(...literals).chain((l) => fc.nat(l.length - 1).map((n) => l.slice(0, n))),
        fc.constantFrom(...literals).chain((l) => fc.nat(l.length - 1).map((n) => l.slice(n))),
        fc.constantFrom(...literals).map((l) => l.toUpperCase()),
        fc.constantFrom(
          '"',
          '\\"',
          'Timestamp"',
          'stageTimestamp',
          'Aud',
          'tID',
          'og_',
          'meV',
          '\u00ff',
          '\0',
        ),
        fc.string({ maxLength: 40, size: 'max' }),
      ),
      { maxLength: 60, size: 'max' },
    )
    .map((parts) => Buffer.from(parts.join(''), 'latin1'));

describe('a set of literals searched at once (WebAssembly SIMD)', () => {
  const markers = new LiteralSet(MARKERS);

  it('finds any literal exactly where the obvious search does', () => {
    fc.assert(
      fc.property(body(MARKERS), (bytes) => {
        expect(markers.occursIn(bytes)).toBe(reference(MARKERS, bytes));
      }),
      { numRuns: 1000 },
    );
  });

  it('does so for any literals, up to eight, sharing bytes and windows', () => {
    const literal = fc
      .array(fc.constantFrom(...'aAbB"_:x\u007f'), { minLength: 2, maxLength: 12 })
      .map((chars) => chars.join(''));
    fc.assert(
      fc.property(
        fc
          .uniqueArray(literal, { minLength: 1, maxLength: 8 })
          .chain((literals) => fc.tuple(fc.constant(literals), body(literals))),
        ([literals, bytes]) => {
          expect(new LiteralSet(literals).occursIn(bytes)).toBe(reference(literals, bytes));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('finds a literal at either end and across the 32-byte turns, and none past the end', () => {
    for (const at of [0, 1, 15, 16, 29, 30, 31, 32, 33, 63, 64, 200]) {
      const bytes = Buffer.alloc(at + 40, 'x');
      bytes.write('"AuditId"', at, 'latin1');
      expect(markers.occursIn(bytes)).toBe(true);
      expect(markers.occursIn(bytes.subarray(0, at + 8))).toBe(false);
      expect(markers.occursIn(bytes.subarray(at + 1))).toBe(false);
      expect(markers.occursIn(bytes.subarray(0, at + 9))).toBe(true);
    }
    // An earlier, longer body's bytes are still in the kernel's memory past this one's end.
    const earlier = Buffer.from(`${'x'.repeat(40)}"log_s"`);
    expect(markers.occursIn(earlier)).toBe(true);
    expect(markers.occursIn(earlier.subarray(0, 44))).toBe(false);
    expect(markers.occursIn(new Uint8Array(0))).toBe(false);
  });

  it('checks every literal whose window stands at a place, not only the first', () => {
    // Both literals are searched from `_Xa`; the first does not lie there whole, the second does.
    const sharing = new LiteralSet(['_Xa1', '_Xa2']);
    expect(sharing.occursIn(Buffer.from('.._Xa2..'))).toBe(true);
    expect(sharing.occursIn(Buffer.from('.._Xa3.._Xa'))).toBe(false);
  });

  it('finds no literal that would begin before the body, where the set keeps its own bytes', () => {
    // 768 bytes of literals end where the body starts, the last with `a`; `aZQa` is searched from `ZQ`.
    const set = new LiteralSet(['b'.repeat(764), 'aZQa']);
    expect(set.occursIn(Buffer.from('ZQa'))).toBe(false);
    expect(set.occursIn(Buffer.from('aZQa'))).toBe(true);
  });

  it('answers for a plain Uint8Array as for a Buffer', () => {
    const bytes = new Uint8Array(Buffer.from('{"eventTimestamp":1}'));
    expect(markers.occursIn(bytes.subarray(1))).toBe(true);
    expect(markers.occursIn(bytes.subarray(2))).toBe(false);
  });

  it('searches a body over its bound a literal at a time', () => {
    const large = Buffer.alloc(MAX_LITERAL_SET_BYTES + 1, 'x');
    expect(markers.occursIn(large)).toBe(false);
    large.write('"LOG_S"', large.length - 7, 'latin1');
    // As written there too: a literal in another case is not the marker.
    expect(markers.occursIn(large)).toBe(false);
    large.write('"log_s"', large.length - 7, 'latin1');
    expect(markers.occursIn(large)).toBe(true);
  });

  it('grows its memory for a large body, and searches the JavaScript way when the engine refuses', () => {
    const large = Buffer.alloc(3 * 1024 * 1024, 'x');
    large.write('"auditID"', large.length - 9, 'latin1');
    const refusing = new LiteralSet(MARKERS);
    // A body that ends where a page would: the last turn reads the padding past it.
    const pages = Buffer.alloc(4 * 64 * 1024 - 1024, 'x');
    pages.write('"auditID"', pages.length - 9, 'latin1');
    expect(refusing.occursIn(pages)).toBe(true);
    expect(refusing.occursIn(large)).toBe(true);
    const { memory } = Reflect.get(refusing, 'kernel') as { memory: { grow(pages: number): number } };
    let refusal: Error = new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded');
    Object.defineProperty(memory, 'grow', {
      value: () => {
        throw refusal;
      },
    });
    const larger = Buffer.concat([large, large]);
    expect(refusing.occursIn(larger)).toBe(true);
    expect(refusing.occursIn(Buffer.alloc(larger.length, 'x'))).toBe(false);
    refusal = new TypeError('not a refusal');
    expect(() => refusing.occursIn(larger)).toThrow(TypeError);
  });

  it('refuses sets it cannot search', () => {
    expect(() => new LiteralSet([])).toThrow(/1 to 8 literals, not 0/);
    expect(() => new LiteralSet(Array.from({ length: 9 }, (_, i) => `"k${i}"`))).toThrow(/not 9/);
    expect(() => new LiteralSet(['a'])).toThrow(/"a": a literal of the set is 2 or more ASCII bytes/);
    expect(new LiteralSet(['ab']).occursIn(Buffer.from('xaby'))).toBe(true);
    expect(() => new LiteralSet(['a\0b'])).toThrow(/none NUL/);
    expect(() => new LiteralSet(['caf\u00e9'])).toThrow(/ASCII/);
    expect(() => new LiteralSet(['x'.repeat(400), 'y'.repeat(369)])).toThrow(/768 bytes in all/);
    expect(new LiteralSet(['x'.repeat(400), 'y'.repeat(368)]).occursIn(Buffer.from('y'.repeat(368)))).toBe(
      true,
    );
  });

  it('is the module literal-set.wat compiles to', async () => {
    // Fails when the kernel's source changed without a build: `npm run build` regenerates it.
    const text = await kernelModuleText(packageInfo().root, LITERAL_SET_KERNEL);
    expect(text).toContain(`'${LITERAL_SET_WASM}'`);
  });
});
