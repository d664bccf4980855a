import { ByteLiteral } from '../byte-literal.js';
import { CASED_RARITY, rank } from '../letter-rarity.js';
import { grownTo, instantiateKernel, type KernelMemory } from '../wasm-kernel.js';
import { LITERAL_SET_WASM } from './literal-set-module.js';

interface LiteralSetExports {
  readonly memory: KernelMemory;
  search(base: number, end: number): number;
}

/** The kernel's memory layout (literal-set.wat). */
const TABLES = 0;
const LITERALS = 128;
const LITERAL_BYTES = 256;
const BODY = 1024;
/** Zero bytes after the body: the last turn reads its 32 bytes and the one after. */
const PADDING = 64;
const WINDOW = 2;
const MAX_LITERALS = 8;
/** Bodies above this are searched a literal at a time: wasm memory, once grown, is never given back. */
export const MAX_LITERAL_SET_BYTES = 16 * 1024 * 1024;

/**
 * Whether any of a few ASCII literals occurs, as written, in a body: one WebAssembly SIMD pass
 * for all of them (literal-set.wat) where memchr for each literal's rarest byte would be a pass
 * each, and in Azure logs, whose resource IDs are in capitals, a capital is far from rare. Written
 * by hand: Node searches one needle at a time, and no library does several at once on bytes.
 */
export class LiteralSet {
  private readonly codes: readonly Uint8Array[];
  /** Where each literal's window starts within it. */
  private readonly windows: readonly number[];
  private readonly oneAtATime: readonly ByteLiteral[];
  private kernel: LiteralSetExports | undefined;
  private view = new Uint8Array(0);

  /** One to eight literals of two or more ASCII bytes, none of them NUL, 768 bytes in all at most. */
  constructor(readonly literals: readonly string[]) {
    if (literals.length === 0 || literals.length > MAX_LITERALS)
      throw new RangeError(`a literal set holds 1 to ${MAX_LITERALS} literals, not ${literals.length}`);
    if (literals.join('').length > BODY - LITERAL_BYTES)
      throw new RangeError(`the literals of a set are ${BODY - LITERAL_BYTES} bytes in all at most`);
    this.codes = literals.map((literal) => {
      if (literal.length < WINDOW || [...literal].some((ch) => ch === '\0' || ch > '\x7f'))
        throw new RangeError(
          `${JSON.stringify(literal)}: a literal of the set is 2 or more ASCII bytes, none NUL`,
        );
      return Uint8Array.from(literal, (ch) => ch.charCodeAt(0));
    });
    this.windows = this.codes.map(rarestWindow);
    this.oneAtATime = literals.map((literal) => new ByteLiteral(literal, true));
  }

  occursIn(bytes: Uint8Array): boolean {
    const length = bytes.length;
    const kernel = length <= MAX_LITERAL_SET_BYTES ? this.kernelFor(BODY + length + PADDING) : undefined;
    if (kernel === undefined) {
      const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, length);
      return this.oneAtATime.some((literal) => literal.occursIn(buffer));
    }
    // A view made again only when the memory grew (and its old buffer was detached).
    if (this.view.buffer !== kernel.memory.buffer) this.view = new Uint8Array(kernel.memory.buffer);
    this.view.set(bytes, BODY);
    this.view.fill(0, BODY + length, BODY + length + PADDING);
    return kernel.search(BODY, BODY + length) >= 0;
  }

  /** The kernel with memory for `bytes`; undefined when the engine refuses that memory. */
  private kernelFor(bytes: number): LiteralSetExports | undefined {
    const kernel = (this.kernel ??= this.instantiate());
    return grownTo(kernel.memory, bytes) ? kernel : undefined;
  }

  private instantiate(): LiteralSetExports {
    const kernel = instantiateKernel<LiteralSetExports>(LITERAL_SET_WASM);
    const memory = new Uint8Array(kernel.memory.buffer);
    memory.set(bucketTables(this.codes, this.windows), TABLES);
    const descriptors = new Int32Array(kernel.memory.buffer, LITERALS, 3 * this.codes.length);
    let at = LITERAL_BYTES;
    this.codes.forEach((codes, i) => {
      descriptors.set([this.windows[i] as number, codes.length, at], 3 * i);
      memory.set(codes, at);
      at += codes.length;
    });
    return kernel;
  }
}

/** The start of a literal's two bytes that are rarest together in JSON logs. */
function rarestWindow(codes: Uint8Array): number {
  let best = 0;
  let bestScore = Number.POSITIVE_INFINITY;
  for (let start = 0; start + WINDOW <= codes.length; start++) {
    let score = 0;
    for (let k = 0; k < WINDOW; k++) score += rank(codes[start + k] as number, CASED_RARITY);
    if (score < bestScore) [best, bestScore] = [start, score];
  }
  return best;
}

/** lo_k and hi_k for each window place k: bit i set where literal i's k-th window byte has that nibble. */
function bucketTables(codes: readonly Uint8Array[], windows: readonly number[]): Uint8Array {
  const tables = new Uint8Array(2 * WINDOW * 16);
  codes.forEach((literal, i) => {
    for (let k = 0; k < WINDOW; k++) {
      const byte = literal[(windows[i] as number) + k] as number;
      for (const at of [32 * k + (byte & 15), 32 * k + 16 + (byte >> 4)])
        tables[at] = (tables[at] as number) | (1 << i);
    }
  });
  return tables;
}
