import { grownTo, instantiateKernel, type KernelMemory } from '../../util/wasm-kernel.js';
import { STRUCTURE_WASM } from './structure-module.js';

interface StructureExports {
  readonly memory: KernelMemory;
  brackets(base: number, len: number, out: number, max: number): number;
}

/** Where the body starts: the kernel reads 64 bytes a turn from a multiple of 64. */
const BASE = 64;
/** Zero bytes after the body: the last turn reads up to 63 past it. */
const PADDING = 64;
/**
 * Bodies above this are walked the JavaScript way: the index needs five times the body in wasm
 * memory (the body, and a position per byte at worst), and that memory is never given back.
 */
export const MAX_BRACKET_INDEX_BYTES = 16 * 1024 * 1024;

/**
 * Where a body's brackets stand outside its strings, in one WebAssembly SIMD pass (structure.wat):
 * a body's records are found from these alone, a few per record, where walking its bytes in
 * JavaScript took longer than parsing it. Written by hand: JSON parsers give values, not places.
 */
export class BracketIndex {
  private exports: StructureExports | undefined;
  private view = new Uint8Array(0);

  /**
   * The positions, ascending, valid until the next call; undefined for a body over
   * MAX_BRACKET_INDEX_BYTES, or when the engine refuses the memory it needs.
   */
  of(bytes: Uint8Array): Int32Array | undefined {
    const length = bytes.length;
    if (length > MAX_BRACKET_INDEX_BYTES) return undefined;
    const exports = (this.exports ??= instantiateKernel<StructureExports>(STRUCTURE_WASM));
    const out = BASE + Math.ceil((length + PADDING) / 4) * 4;
    const { memory } = exports;
    if (!grownTo(memory, out + 4 * (length + 1))) return undefined;
    // A view made again only when the memory grew (and its old buffer was detached).
    if (this.view.buffer !== memory.buffer) this.view = new Uint8Array(memory.buffer);
    this.view.set(bytes, BASE);
    this.view.fill(0, BASE + length, BASE + length + PADDING);
    const count = exports.brackets(BASE, length, out, length + 1);
    return new Int32Array(memory.buffer, out, count);
  }
}
