import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCli, CLI_BUNDLE_DIR } from '../../tools/cli-bundle/bundle-cli.js';
import { staticInputs } from '../../tools/package/esm-bundle.js';
import { CLI } from '../helpers/cli-process.js';
import { REPO_ROOT } from '../helpers/shared.js';

const run = promisify(execFile);
// Inside the repository, as dist/cli is: the CLI finds its package (and bundled rules) upwards.
mkdirSync(join(REPO_ROOT, 'dist'), { recursive: true });
const out = mkdtempSync(join(REPO_ROOT, 'dist', 'cli-bundle-test-'));
let metafile: Metafile;

beforeAll(async () => {
  metafile = await bundleCli(REPO_ROOT, out);
}, 120_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

const azurePackages = (inputs: readonly string[]): string[] => [
  ...new Set(inputs.flatMap((i) => /node_modules\/(@azure\/[^/]+)\//.exec(i)?.[1] ?? [])),
];

/** A CLI run's findings without DetectedAt (the clock) and its exit code. */
async function scanRows(cli: string): Promise<{ code: number; rows: unknown[] }> {
  const result = await run(process.execPath, [cli, 'scan', '--quiet', '--format', 'jsonl', 'samples'], {
    cwd: REPO_ROOT,
  }).then(
    (r) => ({ code: 0, stdout: r.stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
  );
  const rows = result.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const { DetectedAt: _clock, ...row } = JSON.parse(line) as Record<string, unknown>;
      return row;
    });
  return { code: result.code, rows };
}

describe('the CLI bundle (the kube-job-detector bin)', () => {
  it('is what package.json installs as the bin', () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
    };
    expect(manifest.bin['kube-job-detector']).toBe(`${CLI_BUNDLE_DIR}/main.js`);
    expect(readFileSync(join(out, 'main.js'), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
  });

  it('loads no Azure SDK for --help, rules lint or a plain scan; the Azure commands do', () => {
    const main = staticInputs(metafile, 'src/cli/main.ts');
    expect(main).toContain('src/cli/program.ts');
    for (const command of ['scan-command', 'lint-command'])
      expect(azurePackages([...main, ...staticInputs(metafile, `src/cli/${command}.ts`)]), command).toEqual(
        [],
      );
    // Control: the closure walk does see an SDK that a command imports.
    expect(azurePackages(staticInputs(metafile, 'src/cli/listen-command.ts'))).toContain('@azure/event-hubs');
  });

  it('answers --help and scans the samples exactly as the unbundled CLI does', async () => {
    const bundled = join(out, 'main.js');
    const help = await run(process.execPath, [bundled, '--help'], { cwd: REPO_ROOT });
    expect(help.stdout).toBe((await run(process.execPath, [CLI, '--help'], { cwd: REPO_ROOT })).stdout);
    const [fromBundle, fromTsc] = await Promise.all([scanRows(bundled), scanRows(CLI)]);
    expect(fromBundle.rows.length).toBeGreaterThan(0);
    expect(fromBundle).toEqual(fromTsc);
  });
});
