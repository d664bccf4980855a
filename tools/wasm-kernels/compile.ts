import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import wabtInit from 'wabt';

/** A WebAssembly kernel: its text source, and the TypeScript module that carries it compiled. */
export interface Kernel {
  readonly source: string;
  readonly module: string;
  /** The name of the module's one export, the kernel as base64. */
  readonly constant: string;
  readonly summary: string;
}

export const CENSUS_KERNEL: Kernel = {
  source: join('src', 'prefilter', 'census', 'census.wat'),
  module: join('src', 'prefilter', 'census', 'census-module.ts'),
  constant: 'CENSUS_WASM',
  summary: 'The census kernel, compiled',
};

export const LITERAL_SET_KERNEL: Kernel = {
  source: join('src', 'util', 'literal-set', 'literal-set.wat'),
  module: join('src', 'util', 'literal-set', 'literal-set-module.ts'),
  constant: 'LITERAL_SET_WASM',
  summary: 'The literal-set search kernel, compiled',
};

export const STRUCTURE_KERNEL: Kernel = {
  source: join('src', 'decode', 'structure', 'structure.wat'),
  module: join('src', 'decode', 'structure', 'structure-module.ts'),
  constant: 'STRUCTURE_WASM',
  summary: 'The structure kernel, compiled',
};

export const KERNELS: readonly Kernel[] = [CENSUS_KERNEL, LITERAL_SET_KERNEL, STRUCTURE_KERNEL];

/** The text of the generated module for the kernel's current source. */
export async function kernelModuleText(root: string, kernel: Kernel): Promise<string> {
  const wabt = await wabtInit();
  const source = await readFile(join(root, kernel.source), 'utf8');
  const module = wabt.parseWat(kernel.source, source, { simd: true });
  try {
    module.validate();
    const { buffer } = module.toBinary({});
    return `// Generated from ${basename(kernel.source)} by \`npm run build\` (tools/wasm-kernels): do not edit.
/** ${kernel.summary}: a WebAssembly module as base64. */
export const ${kernel.constant} =
  '${Buffer.from(buffer).toString('base64')}';
`;
  } finally {
    module.destroy();
  }
}
