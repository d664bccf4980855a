import type { Metafile } from 'esbuild';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { bundleEsm } from '../package/esm-bundle.js';

/** Where package.json's `bin` points: the CLI bundled, so a command loads a few files, not hundreds. */
export const CLI_BUNDLE_DIR = join('dist', 'cli');

/**
 * Bundles src/cli/main.ts. Resolving and loading each module of the tsc output and of
 * node_modules one by one was about 90 ms of every command's start-up on Node 20, which has no
 * module compile cache. A command still loads only what it uses: the Azure SDKs stay in chunks
 * that only the commands talking to Azure import.
 */
export async function bundleCli(root: string, outDir = join(root, CLI_BUNDLE_DIR)): Promise<Metafile> {
  await rm(outDir, { recursive: true, force: true });
  return bundleEsm(root, 'src/cli/main.ts', outDir);
}
