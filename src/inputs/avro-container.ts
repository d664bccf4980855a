import type { FileHandle } from 'node:fs/promises';

/** Where an Avro object container file stops being whole, and why. */
export interface AvroDamage {
  readonly offset: number;
  readonly message: string;
}

const WINDOW = 64 * 1024;

/**
 * Walks an Avro object container file's framing — header, then per block its object count, byte
 * count, data and 16-byte sync marker — without decoding the data. avsc stops quietly at a cut
 * last block; this names the byte where the file is cut or a marker does not match. Written by
 * hand because avsc exposes no framing check.
 */
export async function checkAvroContainer(handle: FileHandle): Promise<AvroDamage | undefined> {
  const size = (await handle.stat()).size;
  const reader = new FramingReader(handle, size);
  try {
    reader.skip(4);
    for (;;) {
      let count = await reader.long();
      if (count === 0) break;
      if (count < 0) {
        count = -count;
        await reader.long();
      }
      for (let i = 0; i < count; i++) {
        reader.skip(await reader.long());
        reader.skip(await reader.long());
      }
    }
    const sync = await reader.bytes(16);
    while (reader.position < size) {
      const start = reader.position;
      const objects = await reader.long();
      const bytes = await reader.long();
      if (objects < 0 || bytes < 0)
        return { offset: start, message: `block at byte ${start} has a negative count or size` };
      if (reader.position + bytes + 16 > size)
        return {
          offset: start,
          message: `block at byte ${start} declares ${bytes} bytes of ${objects} event(s), but the file ends at byte ${size}: the file is cut`,
        };
      reader.skip(bytes);
      const marker = reader.position;
      if (!(await reader.bytes(16)).equals(sync))
        return { offset: marker, message: `sync marker at byte ${marker} does not match the header's` };
    }
    return undefined;
  } catch (error) {
    if (error instanceof FramingError) return { offset: error.offset, message: error.message };
    throw error;
  }
}

class FramingError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

const endOfFile = (offset: number, size: number): FramingError =>
  new FramingError(
    offset,
    `the file ends at byte ${size}, inside the header or a block header: the file is cut`,
  );

class FramingReader {
  position = 0;
  private window = Buffer.alloc(0);
  private windowStart = 0;

  constructor(
    private readonly handle: FileHandle,
    private readonly size: number,
  ) {}

  async byte(): Promise<number> {
    if (this.position >= this.size) throw endOfFile(this.position, this.size);
    const at = this.position - this.windowStart;
    if (at < 0 || at >= this.window.length) {
      const buffer = Buffer.alloc(Math.min(WINDOW, this.size - this.position));
      const { bytesRead } = await this.handle.read(buffer, 0, buffer.length, this.position);
      this.window = buffer.subarray(0, bytesRead);
      this.windowStart = this.position;
      if (bytesRead === 0) throw endOfFile(this.position, this.size);
    }
    const value = this.window[this.position - this.windowStart] as number;
    this.position++;
    return value;
  }

  /** A zig-zag varint `long`, as Avro writes counts and sizes. */
  async long(): Promise<number> {
    let n = 0;
    let shift = 0;
    for (;;) {
      const b = await this.byte();
      n += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) break;
      shift += 7;
      if (shift > 63)
        throw new FramingError(this.position, `a count at byte ${this.position} is not a valid varint`);
    }
    return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
  }

  async bytes(n: number): Promise<Buffer> {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) out[i] = await this.byte();
    return out;
  }

  skip(n: number): void {
    if (n < 0 || this.position + n > this.size) throw endOfFile(this.position, this.size);
    this.position += n;
  }
}
