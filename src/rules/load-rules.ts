import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { packageInfo } from '../package-info.js';
import { readParsedRulesCache } from './parsed-rules-cache.js';
import { buildRuleSet, type RuleFileInput, type RuleSetBuild } from './rule-set.js';

/**
 * Reads every `*.yml` / `*.yaml` under the given files or directories, in a stable order. A file
 * whose text is in `parsed` comes with the values of its documents, and is not parsed again.
 */
export async function loadRuleFiles(
  paths: readonly string[],
  parsed: ReadonlyMap<string, readonly unknown[]> = new Map(),
): Promise<RuleFileInput[]> {
  const files: string[] = [];
  for (const path of paths) await collect(path, files);
  files.sort();
  return Promise.all(
    files.map(async (path) => {
      const text = await readFile(path, 'utf8');
      const values = parsed.get(text);
      return { path: displayPath(path), text, ...(values === undefined ? {} : { values }) };
    }),
  );
}

/** Loads rules, with the bundled rules the build parsed taken from its cache. */
export async function loadRuleSet(paths: readonly string[]): Promise<RuleSetBuild> {
  const parsed = await readParsedRulesCache(packageInfo().root);
  return buildRuleSet(await loadRuleFiles(paths, parsed));
}

async function collect(path: string, out: string[]): Promise<void> {
  const info = await stat(path);
  if (info.isFile()) {
    out.push(path);
    return;
  }
  for (const entry of await readdir(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) await collect(child, out);
    else if (entry.isFile() && /\.ya?ml$/i.test(entry.name)) out.push(child);
  }
}

function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
}
