import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { buildRuleSet, type RuleFileInput, type RuleSetBuild } from './rule-set.js';

/** Reads every `*.yml` / `*.yaml` under the given files or directories, in a stable order. */
export async function loadRuleFiles(paths: readonly string[]): Promise<RuleFileInput[]> {
  const files: string[] = [];
  for (const path of paths) await collect(path, files);
  files.sort();
  return Promise.all(
    files.map(async (path) => ({ path: displayPath(path), text: await readFile(path, 'utf8') })),
  );
}

export async function loadRuleSet(paths: readonly string[]): Promise<RuleSetBuild> {
  return buildRuleSet(await loadRuleFiles(paths));
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
