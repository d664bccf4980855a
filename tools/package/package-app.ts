import type { Metafile } from 'esbuild';
import { createWriteStream } from 'node:fs';
import { cp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import { PARSED_RULES_CACHE } from '../../src/rules/parsed-rules-cache.js';
import { bundleEsm, staticInputs } from './esm-bundle.js';

/**
 * Builds the deployable zip of the function app: an ESM bundle of functions/index.ts (its entry at
 * BUNDLE_PATH, each dynamically imported part a chunk in chunks/ beside it) with source maps,
 * host.json, the rules the app loads at run time (packageInfo().bundledRulesDir, beside
 * package.json) with the build's parsed copy of them (PARSED_RULES_CACHE) and a package.json
 * without devDependencies. Nothing else: no sources, tests, tools, .azurite/ or node_modules,
 * since the bundle holds every production dependency.
 */

export const BUNDLE_PATH = 'dist/functions/index.js';
const ARCHIVE_NAME = 'kube-job-detector.zip';

/**
 * Provided by the Functions Node.js worker, not published on npm: "@azure/functions-core is a
 * built-in module that ships directly in Azure" (Azure/azure-functions-nodejs-library#201), so a
 * bundler must leave it external. A bundled @azure/functions runs on Azure (#260 there).
 */
export const HOST_PROVIDED = ['@azure/functions-core'];

export interface PackageResult {
  readonly archive: string;
  readonly bytes: number;
  readonly entries: readonly string[];
  /** Every source file esbuild put into the bundle, relative to the repository. */
  readonly bundledInputs: readonly string[];
  /** Every module the bundle still imports at run time (its chunks aside). */
  readonly runtimeImports: readonly string[];
  /** The source files in what importing the entry loads, before any dynamic import runs. */
  readonly startupInputs: readonly string[];
}

interface Manifest {
  name: string;
  version: string;
  description?: string;
  license?: string;
  engines?: Record<string, string>;
}

export async function packageApp(root: string, outDir: string): Promise<PackageResult> {
  const stage = join(outDir, 'app');
  await rm(outDir, { recursive: true, force: true });
  await mkdir(stage, { recursive: true });

  const metafile = await bundle(root, stage);
  await cp(join(root, 'host.json'), join(stage, 'host.json'));
  await cp(join(root, 'rules'), join(stage, 'rules'), { recursive: true });
  await cp(join(root, PARSED_RULES_CACHE), join(stage, PARSED_RULES_CACHE));
  const manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as Manifest;
  await writeFile(join(stage, 'package.json'), `${JSON.stringify(deployManifest(manifest), null, 2)}\n`);

  const archive = join(outDir, ARCHIVE_NAME);
  const entries = await zipDirectory(stage, archive);
  return {
    archive,
    bytes: (await stat(archive)).size,
    entries,
    bundledInputs: Object.keys(metafile.inputs),
    runtimeImports: [
      ...new Set(
        Object.values(metafile.outputs).flatMap((o) =>
          o.imports.filter((i) => i.external).map((i) => i.path),
        ),
      ),
    ].sort(),
    startupInputs: staticInputs(metafile, 'functions/index.ts'),
  };
}

/** The entry at BUNDLE_PATH; the SDKs the adapters import on first use are chunks beside it. */
async function bundle(root: string, stage: string): Promise<Metafile> {
  const metafile = await bundleEsm(
    root,
    'functions/index.ts',
    join(stage, dirname(BUNDLE_PATH)),
    HOST_PROVIDED,
  );
  for (const output of Object.keys(metafile.outputs).filter((o) => o.endsWith('.map')))
    await rebaseSourceMap(root, stage, resolve(root, output));
  return metafile;
}

/**
 * esbuild writes map sources relative to where the bundle was staged; rewrite them as if each file
 * sat at its place in the repository (the entry at BUNDLE_PATH), so a mapped stack frame names
 * functions/index.ts, src/….
 */
async function rebaseSourceMap(root: string, stage: string, mapFile: string): Promise<void> {
  const map = JSON.parse(await readFile(mapFile, 'utf8')) as { sources: string[] };
  const from = join(root, relative(stage, dirname(mapFile)));
  map.sources = map.sources.map((source) => {
    // A dependency's own map may name its sources by URL (webpack:/…): keep the URL.
    const url = /[a-z][a-z\d+.-]*:\//i.exec(source);
    if (url !== null) return source.slice(url.index);
    return relative(from, resolve(dirname(mapFile), source))
      .split(sep)
      .join('/');
  });
  await writeFile(mapFile, JSON.stringify(map));
}

/** What the host reads from package.json: the ESM entry point. No dependencies: the bundle holds them. */
export function deployManifest(manifest: Manifest): Record<string, unknown> {
  return {
    name: manifest.name,
    version: manifest.version,
    description: manifest.description,
    license: manifest.license,
    private: true,
    type: 'module',
    main: BUNDLE_PATH,
    engines: manifest.engines,
    dependencies: {},
  };
}

async function listFiles(dir: string): Promise<string[]> {
  const found = await readdir(dir, { recursive: true, withFileTypes: true });
  return found
    .filter((d) => d.isFile())
    .map((d) => relative(dir, join(d.parentPath, d.name)).split(sep).join('/'))
    .sort();
}

/** Zips the stage with a fixed order and timestamp, so the same input gives the same archive. */
async function zipDirectory(dir: string, archive: string): Promise<string[]> {
  const files = await listFiles(dir);
  const zip = new ZipFile();
  const mtime = new Date('2000-01-01T00:00:00Z');
  for (const file of files) zip.addFile(join(dir, file), file, { mtime, mode: 0o100644 });
  zip.end();
  await mkdir(dirname(archive), { recursive: true });
  await pipeline(zip.outputStream, createWriteStream(archive));
  return files;
}
