import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import wabtInit from 'wabt';

/** The census kernel's source, and the TypeScript module that carries it compiled (base64). */
export const CENSUS_SOURCE = join('src', 'prefilter', 'census', 'census.wat');
export const CENSUS_MODULE = join('src', 'prefilter', 'census', 'census-module.ts');

/** The text of the generated module for the kernel's current source. */
export async function censusModuleText(root: string): Promise<string> {
  const wabt = await wabtInit();
  const source = await readFile(join(root, CENSUS_SOURCE), 'utf8');
  const module = wabt.parseWat(CENSUS_SOURCE, source, { simd: true });
  try {
    module.validate();
    const { buffer } = module.toBinary({});
    return `// Generated from census.wat by \`npm run build\` (tools/census): do not edit.
/** The census kernel, compiled: a WebAssembly module as base64. */
export const CENSUS_WASM =
  '${Buffer.from(buffer).toString('base64')}';
`;
  } finally {
    module.destroy();
  }
}
