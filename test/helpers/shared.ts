import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHARED = resolve(REPO_ROOT, '..', 'shared');

/**
 * `../shared` (SigmaHQ rules, audit samples) is beside the repository in CI and for developers.
 * Elsewhere the tests that read it skip, saying why; with CI=true its absence is a failure.
 */
export function sharedPath(...parts: string[]): string | undefined {
  const path = join(SHARED, ...parts);
  if (existsSync(path)) return path;
  if (process.env['CI'] === 'true')
    throw new Error(`${path} is missing: CI must run with ../shared beside the repository`);
  return undefined;
}

export const SHARED_MISSING =
  'needs ../shared beside the repository (the SigmaHQ rules and samples); skipped outside CI';
