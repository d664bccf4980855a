import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8Text } from '../../src/util/utf8-text.js';

describe('utf8Text', () => {
  it('reads ASCII as itself', () => {
    expect(utf8Text(Buffer.from('{"records":[{"verb":"create"}]}'))).toBe('{"records":[{"verb":"create"}]}');
  });

  it('decodes multi-byte characters as UTF-8, not as latin1', () => {
    expect(utf8Text(Buffer.from('{"name":"jöb-ü-K"}', 'utf8'))).toBe('{"name":"jöb-ü-K"}');
  });

  it('turns invalid UTF-8 into replacement characters, as decoding does', () => {
    expect(utf8Text(Buffer.from([0x7b, 0xc3, 0x28, 0xff, 0x7d]))).toBe('{\ufffd(\ufffd}');
  });

  it('reads a Uint8Array that views part of a larger buffer', () => {
    const whole = Buffer.from('xx{"a":"é"}yy', 'utf8');
    const view = new Uint8Array(whole.buffer, whole.byteOffset + 2, whole.length - 4);
    expect(utf8Text(view)).toBe('{"a":"é"}');
  });

  it('gives what decoding UTF-8 gives, for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200, size: 'max' }), fc.boolean(), (bytes, asBuffer) => {
        const input = asBuffer ? Buffer.from(bytes) : bytes;
        expect(utf8Text(input)).toBe(Buffer.from(bytes).toString('utf8'));
      }),
      { numRuns: 500 },
    );
  });
});
