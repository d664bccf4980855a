import { build, type Metafile } from 'esbuild';
import { rm } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';
import { REQUIRE_SHIM } from '../package/package-app.js';

/** Where package.json's `bin` points: the CLI bundled, so a command loads a few files, not hundreds. */
export const CLI_BUNDLE_DIR = join('dist', 'cli');

/**
 * Bundles src/cli/main.ts into ESM chunks. Resolving and loading each module of the tsc output and
 * of node_modules one by one was about 90 ms of every command's start-up on Node 20, which has no
 * module compile cache. Code splitting keeps every dynamic `import()` a chunk of its own, so a
 * command still loads only what it uses (the Azure SDKs only for the commands that talk to Azure).
 */
export async function bundleCli(root: string, outDir = join(root, CLI_BUNDLE_DIR)): Promise<Metafile> {
  await rm(outDir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['src/cli/main.ts'],
    outdir: outDir,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    banner: { js: REQUIRE_SHIM },
    metafile: true,
    logLevel: 'silent',
  });
  const external = Object.values(result.metafile.outputs)
    .flatMap((o) => o.imports)
    .filter((i) => i.external && !isBuiltin(i.path));
  if (external.length > 0)
    throw new Error(
      `the CLI bundle imports packages it does not hold: ${external.map((i) => i.path).join(', ')}`,
    );
  return result.metafile;
}
