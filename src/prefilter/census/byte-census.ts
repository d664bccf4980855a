import type { Neighbour } from '../../util/byte-literal.js';
import { grownTo, instantiateKernel, type KernelMemory } from '../../util/wasm-kernel.js';
import { CENSUS_WASM } from './census-module.js';

/**
 * What a census looks for: a small ASCII letter, in either case, with the byte `offset` from it
 * (1 or -1; a small letter there in either case too). Without a byte beside it, the letter alone.
 */
export interface CensusKey {
  readonly letter: number;
  readonly beside?: Neighbour;
}

/** What one pass over a body found. */
export interface Census {
  readonly keys: readonly [CensusKey, CensusKey];
  /** Whether `\u` occurs anywhere in the body. */
  readonly unicodeEscape: boolean;
  /**
   * Where either key's letter stands, and where each `\u` does (its backslash), in ascending
   * order; valid until the next census. A reader of one passes over the other's bytes.
   */
  readonly positions: Int32Array;
}

interface CensusExports {
  readonly memory: KernelMemory;
  readonly escape: { readonly value: number };
  census(base: number, len: number, out: number, max: number, ...keys: KernelKeys): number;
}

/** Where the body starts: the byte before its first is read, and is zero. */
const BASE = 16;
/** Zero bytes after the body: a turn of the census that starts at its last byte reads the 33 after it. */
const PADDING = 48;
/**
 * Bodies above this are searched the JavaScript way: a census needs five times the body in wasm
 * memory (the body, and a position per byte at worst), and that memory is never given back.
 */
export const MAX_CENSUS_BYTES = 16 * 1024 * 1024;

/**
 * One pass over a body (WebAssembly SIMD, census.wat): where its `\u` escapes stand, and where
 * two letters stand in either case, each beside a given byte. A kube-audit body otherwise costs
 * three full searches — `\u` from the end (each of its ~850 `u`s checked for a backslash), then
 * memchr for each letter in each case — and a search for a literal the body lacks is a full pass
 * too. Written by hand: Node searches one byte (memchr) or one needle at a time, and no library
 * does several at once.
 */
export class ByteCensus {
  private readonly exports: CensusExports;
  private view = new Uint8Array(0);
  /** The last keys taken, as the kernel takes them: most bodies are searched for the same two. */
  private keys: readonly [CensusKey, CensusKey] | undefined;
  private kernelKeys: KernelKeys = [0, 0, 0, 0, 0, 0, 0, 0];

  constructor() {
    this.exports = instantiateKernel<CensusExports>(CENSUS_WASM);
  }

  /**
   * The census of `bytes` for two keys; undefined for a body over MAX_CENSUS_BYTES, or when the
   * engine refuses the memory it needs.
   */
  run(bytes: Uint8Array, keys: readonly [CensusKey, CensusKey]): Census | undefined {
    const length = bytes.length;
    if (length > MAX_CENSUS_BYTES) return undefined;
    const out = Math.ceil((BASE + length + PADDING) / 4) * 4;
    const needed = out + 4 * (length + 1);
    const { memory } = this.exports;
    if (!grownTo(memory, needed)) return undefined;
    // A view made again only when the memory grew (and its old buffer was detached).
    if (this.view.buffer !== memory.buffer) this.view = new Uint8Array(memory.buffer);
    this.view.set(bytes, BASE);
    this.view.fill(0, BASE + length, BASE + length + PADDING);
    if (keys !== this.keys) {
      this.kernelKeys = [...kernelKey(keys[0]), ...kernelKey(keys[1])];
      this.keys = keys;
    }
    const count = this.exports.census(BASE, length, out, length + 1, ...this.kernelKeys);
    return {
      keys,
      unicodeEscape: this.exports.escape.value === 1,
      positions: new Int32Array(memory.buffer, out, count),
    };
  }
}

/** Two keys as the kernel takes them, each as `kernelKey` gives it. */
type KernelKeys = readonly [number, number, number, number, number, number, number, number];

/** A key as the kernel takes it: letter, offset, byte and the bits that fold its case. */
function kernelKey({ letter, beside }: CensusKey): [number, number, number, number] {
  // Without a byte beside it, the letter is compared with itself.
  if (beside === undefined) return [letter, 0, letter, 0x20];
  const small = beside.byte >= 0x61 && beside.byte <= 0x7a;
  return [letter, beside.offset, beside.byte, small ? 0x20 : 0];
}
