import { grownTo, instantiateKernel, type KernelMemory } from '../../util/wasm-kernel.js';
import { CENSUS_WASM } from './census-module.js';

/** What one pass over a body found. */
export interface Census {
  /** The two letters whose positions were taken, in small letters. */
  readonly letters: readonly [number, number];
  /** Whether `\u` occurs anywhere in the body. */
  readonly unicodeEscape: boolean;
  /** Where either letter stands, in either ASCII case, in ascending order; valid until the next census. */
  readonly positions: Int32Array;
}

interface CensusExports {
  readonly memory: KernelMemory;
  readonly escape: { readonly value: number };
  census(len: number, out: number, max: number, letter1: number, letter2: number): number;
}

/** Zero bytes after the body: a turn of the census that starts at its last byte reads the 32 after it. */
const PADDING = 32;
/**
 * Bodies above this are searched the JavaScript way: a census needs five times the body in wasm
 * memory (the body, and a position per byte at worst), and that memory is never given back.
 */
export const MAX_CENSUS_BYTES = 16 * 1024 * 1024;

/**
 * One pass over a body (WebAssembly SIMD, census.wat): whether it holds a `\u` escape, and where
 * two letters stand in either case. A kube-audit body otherwise costs three full searches — `\u`
 * from the end (each of its ~850 `u`s checked for a backslash), then memchr for each letter in
 * each case — and a search for a literal the body lacks is a full pass too. Written by hand:
 * Node searches one byte (memchr) or one needle at a time, and no library does several at once.
 */
export class ByteCensus {
  private readonly exports: CensusExports;

  constructor() {
    this.exports = instantiateKernel<CensusExports>(CENSUS_WASM);
  }

  /**
   * The census of `bytes` for two small ASCII letters; undefined for a body over MAX_CENSUS_BYTES,
   * or when the engine refuses the memory it needs.
   */
  run(bytes: Uint8Array, letters: readonly [number, number]): Census | undefined {
    const length = bytes.length;
    if (length > MAX_CENSUS_BYTES) return undefined;
    const out = Math.ceil((length + PADDING) / 4) * 4;
    const needed = out + 4 * (length + 1);
    const { memory } = this.exports;
    if (!grownTo(memory, needed)) return undefined;
    const view = new Uint8Array(memory.buffer);
    view.set(bytes, 0);
    view.fill(0, length, length + PADDING);
    const count = this.exports.census(length, out, length + 1, letters[0], letters[1]);
    return {
      letters,
      unicodeEscape: this.exports.escape.value === 1,
      positions: new Int32Array(memory.buffer, out, count),
    };
  }
}
