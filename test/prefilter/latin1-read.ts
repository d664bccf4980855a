import { vi } from 'vitest';

/** Bytes of bodies turned into latin1 strings while `run` runs. */
export function latin1Read(run: () => void): number {
  const toString = Buffer.prototype.toString;
  let read = 0;
  const spy = vi.spyOn(Buffer.prototype, 'toString').mockImplementation(function (
    this: Buffer,
    ...args: unknown[]
  ) {
    const [encoding, start, end] = args as [
      BufferEncoding | undefined,
      number | undefined,
      number | undefined,
    ];
    if (encoding === 'latin1') read += Math.min(end ?? this.length, this.length) - (start ?? 0);
    return toString.call(this, encoding, start, end);
  });
  try {
    run();
  } finally {
    spy.mockRestore();
  }
  return read;
}
