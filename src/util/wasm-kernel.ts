/** What a kernel's memory export offers (the WebAssembly JavaScript API's `Memory`). */
export interface KernelMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** The part of the WebAssembly JavaScript API used here: TypeScript declares it with the DOM only. */
interface WebAssemblyApi {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: unknown };
}

const PAGE = 64 * 1024;

/** The exports of a kernel compiled into a module as base64 (tools/wasm-kernels), instantiated without imports. */
export function instantiateKernel<Exports>(base64: string): Exports {
  const { Module, Instance } = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;
  return new Instance(new Module(Buffer.from(base64, 'base64')), {}).exports as Exports;
}

/**
 * Grows `memory` to at least `bytes`; false when the engine refuses (a RangeError: out of memory
 * or past the engine's bound), so the caller can search the JavaScript way instead.
 */
export function grownTo(memory: KernelMemory, bytes: number): boolean {
  if (memory.buffer.byteLength >= bytes) return true;
  try {
    memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE));
    return true;
  } catch (error) {
    if (error instanceof RangeError) return false;
    throw error;
  }
}
