import { isAscii } from 'node:buffer';

/**
 * The UTF-8 text of some bytes. ASCII, which nearly every log body is, reads the same as latin1,
 * and V8 copies latin1 into a string byte for byte: with the ASCII check (SIMD in Node) that is
 * about six times faster than decoding UTF-8, and it gives the same string.
 */
export function utf8Text(bytes: Uint8Array): string {
  const buffer = Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return isAscii(buffer) ? buffer.toString('latin1') : buffer.toString('utf8');
}
