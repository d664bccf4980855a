import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../helpers/cli-process.js';
import { FUNCTION_APP_SETTINGS } from '../helpers/function-app-settings.js';
import { REPO_ROOT } from '../helpers/shared.js';

const run = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), 'kjd-startup-'));

/**
 * A module resolve hook (node:module register) that appends every module URL the process loads
 * through `import` to a file: what a command loads, seen from outside, in the built program.
 */
const HOOKS = `
  import { appendFileSync } from 'node:fs';
  export async function resolve(specifier, context, next) {
    const resolved = await next(specifier, context);
    appendFileSync(process.env.KJD_LOADED_OUT, resolved.url + '\\n');
    return resolved;
  }`;
const REGISTER = `
  import { register } from 'node:module';
  register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOKS)}`)});`;

/** The packages under node_modules/@azure that a process loaded. */
async function azurePackagesLoaded(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<string[]> {
  const out = join(work, `loaded-${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(out, '');
  // Every command here succeeds; a failure would end it before it loaded what it needs.
  await run(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(REGISTER)}`, ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env['PATH'] ?? '', ...env, KJD_LOADED_OUT: out },
  });
  const urls = readFileSync(out, 'utf8').split('\n');
  return [...new Set(urls.flatMap((url) => /\/node_modules\/(@azure\/[^/]+)\//.exec(url)?.[1] ?? []))].sort();
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" (npm test does) first`);
});

describe('start-up loads only what a command uses', () => {
  it('the probe sees an Azure SDK when one is loaded (control)', async () => {
    const clients = pathToFileURL(join(REPO_ROOT, 'dist', 'src', 'azure', 'event-hub-clients.js')).href;
    const loaded = await azurePackagesLoaded(['--input-type=module', '-e', `await import('${clients}')`]);
    expect(loaded).toEqual(
      expect.arrayContaining(['@azure/event-hubs', '@azure/identity', '@azure/storage-blob']),
    );
  });

  it('--help, rules lint and a plain scan load no Azure SDK', async () => {
    // A body with a CronJob finding, so the findings path runs too (without --upload or --enrich).
    const body = join(REPO_ROOT, 'samples', 'activity-log', 'eventhub-body-aks-cronjob.json');
    for (const args of [['--help'], ['rules', 'lint'], ['scan', '--quiet', body]])
      expect(await azurePackagesLoaded([CLI, ...args]), args.join(' ')).toEqual([]);
  });

  it('importing the function app with valid settings loads @azure/functions only', async () => {
    const app = pathToFileURL(join(REPO_ROOT, 'dist', 'functions', 'index.js')).href;
    const loaded = await azurePackagesLoaded(['--input-type=module', '-e', `await import('${app}')`], {
      ...FUNCTION_APP_SETTINGS,
      ENRICHMENT_ENABLED: 'true',
    });
    expect(loaded).toEqual(['@azure/functions']);
  });
});
