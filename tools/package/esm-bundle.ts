import { build, type Metafile } from 'esbuild';
import { isBuiltin } from 'node:module';

// Bundled CommonJS code calls require(); an ESM bundle has none, so give it Node's.
const REQUIRE_SHIM =
  "import { createRequire as kjdCreateRequire } from 'node:module';\nconst require = kjdCreateRequire(import.meta.url);";

/**
 * Bundles one entry point with every dependency into ES modules under `outdir`, with source maps.
 * Code splitting keeps each dynamic `import()` a chunk of its own (in chunks/), so a process
 * compiles and runs only what it imports: compiling what it never uses was a third of a cold start.
 * Fails when the bundle still imports a package other than Node's built-ins and `external`.
 */
export async function bundleEsm(
  root: string,
  entryPoint: string,
  outdir: string,
  external: readonly string[] = [],
): Promise<Metafile> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: [entryPoint],
    outdir,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    external: [...external],
    banner: { js: REQUIRE_SHIM },
    metafile: true,
    logLevel: 'silent',
  });
  const unexpected = Object.values(result.metafile.outputs)
    .flatMap((o) => o.imports)
    .filter((i) => i.external && !isBuiltin(i.path) && !external.includes(i.path));
  if (unexpected.length > 0)
    throw new Error(
      `the bundle imports packages it does not hold: ${unexpected.map((i) => i.path).join(', ')}`,
    );
  return result.metafile;
}

/**
 * The source files in the outputs a process loads when it imports `entryPoint`'s output: its static
 * imports, transitively. Dynamically imported chunks load only when their `import()` runs.
 */
export function staticInputs(metafile: Metafile, entryPoint: string): string[] {
  const outputs = metafile.outputs;
  const seen = new Set<string>();
  const pending = Object.keys(outputs).filter((o) => outputs[o]?.entryPoint === entryPoint);
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const output = outputs[next];
    if (output === undefined || seen.has(next)) continue;
    seen.add(next);
    for (const i of output.imports) if (i.kind === 'import-statement' && !i.external) pending.push(i.path);
  }
  return [...seen].flatMap((o) => Object.keys(outputs[o]?.inputs ?? {})).sort();
}
