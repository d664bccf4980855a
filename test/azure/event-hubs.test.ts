import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BlobCheckpointStore } from '@azure/eventhubs-checkpointstore-blob';
import { ContainerClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeEventHub } from '../fakes/amqp-event-hub.js';
import { startAzureFakes, type AzureFakes } from '../helpers/azure-env.js';
import { CLI, cliEnvironment, runCliProcess } from '../helpers/cli-process.js';
import { activityRecord, bundledRuleSet, FIXED_CLOCK, processBatch } from '../helpers/detector.js';
import { REPO_ROOT } from '../helpers/shared.js';

const HUB = 'insights-activity-logs';
const GROUP = 'kube-job-detector';

let fakes: AzureFakes;
let hub: FakeEventHub;
let work: string;
let env: NodeJS.ProcessEnv;
let checkpointConnection: string;

beforeAll(async () => {
  [fakes, hub] = await Promise.all([
    startAzureFakes(),
    FakeEventHub.start({ hubName: HUB, partitionCount: 4, consumerGroups: [GROUP] }),
  ]);
  ({ work, env } = cliEnvironment(fakes));
  checkpointConnection = fakes.azurite.connectionString;
}, 60_000);

afterAll(async () => {
  await Promise.all([fakes.stop(), hub.stop()]);
});

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCliProcess(args, env, work);
}

interface Listener {
  readonly child: ChildProcess;
  readonly lines: Record<string, unknown>[];
  exited: Promise<number | null>;
}

function listen(): Listener {
  const child = spawn(
    process.execPath,
    [
      CLI,
      'listen',
      '--connection-string',
      hub.connectionString,
      '--hub',
      HUB,
      '--consumer-group',
      GROUP,
      '--checkpoint-connection-string',
      checkpointConnection,
      '--health-interval',
      '1',
      '--balance-interval',
      '1',
      '--dead-letter-dir',
      join(work, 'dead'),
    ],
    { env, cwd: work, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const lines: Record<string, unknown>[] = [];
  let buffered = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    for (const line of parts) if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
  });
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`listen: ${chunk.toString()}`));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, lines, exited };
}

async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 45_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const uploaded = (): string[] => fakes.ingestion.rows.map((r) => String(r['FindingId']));
const jobWrite = (correlationId: string): Buffer =>
  Buffer.from(
    JSON.stringify({
      records: [
        activityRecord('MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/JOBS/WRITE', { correlationId }),
      ],
    }),
  );

async function expectedRows(bodies: readonly Buffer[]): Promise<string[]> {
  const { findings } = processBatch(
    bodies.map((body, event) => ({ body, origin: { event } })),
    { ruleSet: await bundledRuleSet(), clock: FIXED_CLOCK, detectorVersion: 'test' },
  );
  return findings.map((f) => f.FindingId);
}

async function expectedFindingIds(bodies: readonly Buffer[]): Promise<string[]> {
  return [...new Set(await expectedRows(bodies))].sort();
}

describe('replay into a hub and listen from it, against a real AMQP peer and Azurite', () => {
  it('replays the bundled samples, batched, round-robin over the partitions', async () => {
    const { code, stdout } = await cli(['replay', '--connection-string', hub.connectionString, '--hub', HUB]);
    expect(code).toBe(0);
    expect(hub.partitions.map((p) => p.length)).toEqual([3, 3, 2, 2]);
    expect(stdout).toMatch(
      /Sent 10 bodies to hub "insights-activity-logs":\n {2}partition 0: 3 bodies, \d+ bytes, 1 batches/,
    );
    const stored = hub.partitions
      .flatMap((_, i) => hub.bodies(i))
      .map((b) => JSON.parse(b.toString()) as unknown);
    const sampleAudit = JSON.parse(
      readFileSync(join(REPO_ROOT, 'samples', 'kube-audit', 'eventhub-body-admin-1.json'), 'utf8'),
    ) as unknown;
    expect(stored).toContainEqual(sampleAudit);
  });

  it('names an oversize body and a missing hub, with a non-zero exit', async () => {
    const big = join(work, 'big.json');
    writeFileSync(big, JSON.stringify({ records: [{ operationName: 'x', padding: 'p'.repeat(1_100_000) }] }));
    const oversize = await cli(['replay', '--connection-string', hub.connectionString, '--hub', HUB, big]);
    expect(oversize.code).toBe(3);
    expect(oversize.stderr).toMatch(/does not fit in one event/);
    const missing = await cli([
      'replay',
      '--connection-string',
      hub.connectionString,
      '--hub',
      'no-such-hub',
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot reach hub "no-such-hub".*could not be found/);
  });

  it('listens, checkpoints, stops gracefully on SIGTERM, resumes after kill -9, and shares partitions', async () => {
    const replayed = hub.partitions.flatMap((_, i) => hub.bodies(i));
    const expected = await expectedFindingIds(replayed);

    // Bodies sent before the listener starts are all processed.
    const first = listen();
    await until(() => expected.every((id) => uploaded().includes(id)), 'the replayed findings').catch(
      (error: unknown) => {
        process.stderr.write(`${JSON.stringify(first.lines).slice(0, 3000)}\n`);
        throw error;
      },
    );
    // …and so is one sent while it runs.
    const whileRunning = jobWrite('11111111-0000-4000-8000-000000000001');
    hub.inject(2, whileRunning);
    const [runningId] = await expectedFindingIds([whileRunning]);
    await until(
      () => uploaded().includes(runningId as string),
      'the finding of a body sent while listening',
    ).catch((error: unknown) => {
      process.stderr.write(`LINES ${JSON.stringify(first.lines).slice(0, 3000)}\n`);
      throw error;
    });
    await until(() => first.lines.some((l) => l['health'] !== undefined), 'a health line');

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.lines.some((l) => l['stopped'] !== undefined)).toBe(true);
    const rowsAfterStop = uploaded().length;

    // After a graceful stop everything was checkpointed: a restart reprocesses nothing.
    const second = listen();
    const afterRestart = jobWrite('11111111-0000-4000-8000-000000000002');
    hub.inject(1, afterRestart);
    const [restartId] = await expectedFindingIds([afterRestart]);
    await until(() => uploaded().includes(restartId as string), 'the finding after a restart');
    expect(uploaded().length).toBe(rowsAfterStop + 1);

    // kill -9 loses at most the batch that was not checkpointed; duplicates share their FindingId.
    const store = new BlobCheckpointStore(
      new ContainerClient(checkpointConnection, 'kube-job-detector-checkpoints'),
    );
    const checkpointed = async (partition: string, sequence: number) =>
      (await store.listCheckpoints('127.0.0.1', HUB, GROUP)).some(
        (c) => c.partitionId === partition && (c.sequenceNumber ?? -1) >= sequence,
      );
    await until(() => checkpointed('1', hub.partitions[1]!.length - 1), 'the checkpoint');
    second.child.kill('SIGKILL');
    await second.exited;
    const afterKill = jobWrite('11111111-0000-4000-8000-000000000003');
    hub.inject(3, afterKill);
    const [killId] = await expectedFindingIds([afterKill]);

    // Two instances share the partitions.
    const third = listen();
    const fourth = listen();
    await until(() => uploaded().includes(killId as string), 'the finding after kill -9');
    await until(
      async () =>
        new Set(
          (await store.listOwnership('127.0.0.1', HUB, GROUP))
            .filter(
              (o) => o.lastModifiedTimeInMs !== undefined && Date.now() - o.lastModifiedTimeInMs < 5_000,
            )
            .map((o) => o.ownerId),
        ).size === 2,
      'two owners of the partitions',
      60_000,
    );
    third.child.kill('SIGTERM');
    fourth.child.kill('SIGTERM');
    expect(await third.exited).toBe(0);
    expect(await fourth.exited).toBe(0);

    // What listen uploaded is what scan finds in the same bodies; nothing was processed twice but
    // possibly the one batch in flight at the kill (one row here).
    const all = hub.partitions.flatMap((_, i) => hub.bodies(i));
    expect([...new Set(uploaded())].sort()).toEqual(await expectedFindingIds(all));
    const rows = (await expectedRows(all)).length;
    expect(uploaded().length).toBeGreaterThanOrEqual(rows);
    expect(uploaded().length).toBeLessThanOrEqual(rows + 1);
    expect(fakes.ingestion.violations).toEqual([]);
    expect(readdirSync(work)).not.toContain('dead');
  }, 180_000);
});
