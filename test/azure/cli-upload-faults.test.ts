import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAzureFakes, type AzureFakes } from '../helpers/azure-env.js';
import { cli } from '../helpers/cli.js';
import { CLI, cliEnvironment, runCliProcess } from '../helpers/cli-process.js';
import { activityRecord } from '../helpers/detector.js';

let fakes: AzureFakes;
let work: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  fakes = await startAzureFakes();
  ({ work, env } = cliEnvironment(fakes));
}, 60_000);
afterAll(async () => {
  await fakes.stop();
});

const FINDINGS = 1200;
/** The scan delivers in groups of this many rows (FLUSH_ROWS in scan-command.ts). */
const GROUP = 500;
const RUNS = 20;

/** Writes FINDINGS CronJob writes as a blob export, each its own finding. */
function exportFile(): string {
  const input = join(mkdtempSync(join(tmpdir(), 'kjd-resume-')), 'PT1H.json');
  const op = 'MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/CRONJOBS/WRITE';
  writeFileSync(
    input,
    Array.from({ length: FINDINGS }, (_, i) =>
      JSON.stringify(
        activityRecord(op, {
          correlationId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
          eventDataId: `e-${i}`,
        }),
      ),
    ).join('\n'),
  );
  return input;
}

/** Runs the built CLI with stdout read by a reader that closes the pipe after its first chunk (`| head`). */
function runIntoClosedPipe(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env,
      cwd: work,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stderr: Buffer[] = [];
    child.stderr.on('data', (c: Buffer) => stderr.push(c));
    child.stdout.once('data', () => child.stdout.destroy());
    child.on('close', (code) => resolve({ code, stderr: Buffer.concat(stderr).toString() }));
  });
}

describe('a closed stdout pipe (| head)', () => {
  it('does not stop scan --upload: every finding is uploaded, and no stack trace is printed', async () => {
    fakes.ingestion.rows.length = 0;
    const dir = join(work, 'dead-epipe');
    const { code, stderr } = await runIntoClosedPipe([
      'scan',
      '--upload',
      '--format',
      'jsonl',
      '--dead-letter-dir',
      dir,
      exportFile(),
    ]);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stderr).toMatch(new RegExp(`Uploaded ${FINDINGS} finding\\(s\\)\\.`));
    expect(code).toBe(0);
    expect(new Set(fakes.ingestion.rows.map((r) => r['FindingId'])).size).toBe(FINDINGS);
  }, 120_000);

  it('rules lint | head -1 exits quietly', async () => {
    const { code, stderr } = await runIntoClosedPipe(['rules', 'lint']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  }, 60_000);
});

/** A deterministic generator (mulberry32), so a failing seed can be run again. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs the built CLI and kills it with SIGKILL after `ms`; true when it was killed, not done. */
function runAndKill(args: readonly string[], ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, cwd: work, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      resolve(signal === 'SIGKILL');
    });
  });
}

function deadLetteredIds(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  return names.flatMap((name) =>
    (JSON.parse(readFileSync(join(dir, name), 'utf8')) as { rows: { FindingId: string }[] }).rows.map(
      (r) => r.FindingId,
    ),
  );
}

describe('scan --upload killed at random points, then run again', () => {
  it(`leaves every finding uploaded or dead-lettered, and the rerun sends only what was missing (${RUNS} seeded runs)`, async () => {
    const input = exportFile();
    const scanned = await cli('scan', '--format', 'jsonl', '--quiet', input);
    const expected = new Set(
      scanned.stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { FindingId: string }).FindingId),
    );
    expect(expected.size).toBe(FINDINGS);

    // How long one uninterrupted upload takes here, to spread the kills over it.
    const started = Date.now();
    const baseline = await runCliProcess(
      ['scan', '--upload', '--quiet', '-o', '/dev/null', '--dead-letter-dir', join(work, 'baseline'), input],
      env,
      work,
    );
    expect(baseline.code).toBe(0);
    const duration = Date.now() - started;

    let kills = 0;
    for (let seed = 1; seed <= RUNS; seed++) {
      const next = random(seed);
      const dir = join(work, `dead-${seed}`);
      fakes.ingestion.rows.length = 0;
      // Every fourth run, one chunk fails for good and is dead-lettered.
      if (seed % 4 === 0) fakes.ingestion.server.failNext({ status: 500 }, 3);
      const args = ['scan', '--upload', '--quiet', '-o', '/dev/null', '--dead-letter-dir', dir, input];
      const killed = await runAndKill(args, Math.floor(next() * duration * 1.5));
      if (killed) kills++;
      const uploadedBefore = fakes.ingestion.rows.length;
      const before = new Set(fakes.ingestion.rows.map((r) => String(r['FindingId'])));
      const deadBefore = deadLetteredIds(dir).length;

      const rerun = await runCliProcess(args, env, work);
      expect([0, 4], `seed ${seed}: ${rerun.stderr}`).toContain(rerun.code);
      const sentByRerun =
        fakes.ingestion.rows.length - uploadedBefore + (deadLetteredIds(dir).length - deadBefore);
      const delivered = new Set([
        ...fakes.ingestion.rows.map((r) => String(r['FindingId'])),
        ...deadLetteredIds(dir),
      ]);
      const missing = [...expected].filter((id) => !delivered.has(id));
      expect(missing, `seed ${seed}`).toEqual([]);
      // Exactly what was missing, give or take the one group in flight when the process died.
      const missingBefore = [...expected].filter((id) => !before.has(id)).length - deadBefore;
      // A run that ended (or delivered everything) before the kill finished its scan: the rerun is
      // a new scan, which uploads everything again.
      if (killed && missingBefore > 0)
        expect(sentByRerun, `seed ${seed}`).toBeLessThanOrEqual(missingBefore + GROUP);
    }
    expect(kills).toBeGreaterThanOrEqual(RUNS / 2);
  }, 600_000);
});
