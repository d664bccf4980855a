import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PackageInfo {
  readonly root: string;
  readonly version: string;
  readonly bundledRulesDir: string;
}

let cached: PackageInfo | undefined;

/** Finds the package root from this file, whether it runs from `src/` (tests) or `dist/src/` (built). */
export function packageInfo(): PackageInfo {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (manifest.name === 'kube-job-detector') {
        cached = { root: dir, version: manifest.version ?? '0.0.0', bundledRulesDir: join(dir, 'rules') };
        return cached;
      }
    } catch {
      // no package.json at this level; keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the kube-job-detector package root');
    dir = parent;
  }
}
