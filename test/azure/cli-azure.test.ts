import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobDeadLetterStore } from '../../src/azure/blob-dead-letter.js';
import { LogsIngestionSink } from '../../src/azure/logs-ingestion-sink.js';
import { emitFindings } from '../../src/emit/emit-findings.js';
import { resendDeadLetters } from '../../src/emit/resend-dead-letters.js';
import { DCR_ID } from '../fakes/fake-ingestion.js';
import { trustPolicy } from '../fakes/tls.js';
import { sampleBodies, startAzureFakes, staticCredential, type AzureFakes } from '../helpers/azure-env.js';
import { cliEnvironment, runCliProcess } from '../helpers/cli-process.js';
import { bundledRuleSet, FIXED_CLOCK, processBatch } from '../helpers/detector.js';
import { REPO_ROOT } from '../helpers/shared.js';

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

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return runCliProcess(args, env, work);
}

describe('scan --enrich --upload and deadletter replay, from the command line', () => {
  it('enriches and uploads the sample findings', async () => {
    fakes.ingestion.rows.length = 0;
    const { code, stdout, stderr } = await cli([
      'scan',
      '--enrich',
      '--upload',
      '--format',
      'jsonl',
      join(REPO_ROOT, 'samples'),
    ]);
    // 10 from the Event Hub samples, 8 from samples/shapes (the same operations in other shapes).
    expect(stderr).toMatch(/Uploaded 18 finding\(s\)\./);
    expect(code).toBe(0);
    const printed = stdout
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as { FindingId: string; ClusterName: string | null; Enrichment: { status: string } },
      );
    // The raw apiserver samples name no cluster, so there is nothing to look up for them.
    const named = printed.filter((r) => r.ClusterName !== 'unknown');
    expect(printed.length - named.length).toBe(2);
    expect(named.every((r) => r.Enrichment.status === 'ok')).toBe(true);
    expect(fakes.ingestion.rows.map((r) => r['FindingId']).sort()).toEqual(
      printed.map((r) => r.FindingId).sort(),
    );
    expect(fakes.ingestion.violations).toEqual([]);
  });

  it('dead-letters to a directory when upload fails, exits 4, and replays once ingestion is back', async () => {
    fakes.ingestion.rows.length = 0;
    fakes.ingestion.server.failAlways({ status: 500 });
    const dir = join(work, 'dead');
    const failed = await cli([
      'scan',
      '--upload',
      '--dead-letter-dir',
      dir,
      '--quiet',
      join(REPO_ROOT, 'samples', 'kube-audit'),
    ]);
    expect(failed.code).toBe(4);
    expect(readdirSync(dir)).toHaveLength(1);

    const stillDown = await cli(['deadletter', 'replay', '--dir', dir]);
    expect(stillDown.code).toBe(4);
    expect(readdirSync(dir)).toHaveLength(1);

    fakes.ingestion.server.failAlways(undefined);
    const replayed = await cli(['deadletter', 'replay', '--dir', dir]);
    expect(replayed.stdout).toMatch(/Replayed 1 dead-letter entry \(4 finding\(s\)\); 0 kept\./);
    expect(replayed.code).toBe(0);
    expect(readdirSync(dir)).toHaveLength(0);
    expect(fakes.ingestion.rows).toHaveLength(4);
  });

  it('names the setting that is missing', async () => {
    const { code, stderr } = await runCliProcess(
      ['scan', '--upload', join(REPO_ROOT, 'samples')],
      { ...env, LOGS_INGESTION_DCR_IMMUTABLE_ID: '' },
      work,
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(/LOGS_INGESTION_DCR_IMMUTABLE_ID is not set/);
  });
});

describe('dead-letter replay from blob storage (Azurite)', () => {
  it('re-uploads each blob and deletes it only after its upload succeeded', async () => {
    fakes.ingestion.rows.length = 0;
    const sink = new LogsIngestionSink({
      endpoint: fakes.ingestion.url,
      dcrImmutableId: DCR_ID,
      streamName: 'Custom-KubeJobFindings',
      credential: staticCredential,
      timeoutMs: 2000,
      maxRetries: 0,
      additionalPolicies: [trustPolicy(fakes.certificate)],
    });
    const store = new BlobDeadLetterStore(await fakes.azurite.container('replay-test'));
    const { findings } = processBatch(
      sampleBodies().map((body, event) => ({ body, origin: { event } })),
      { ruleSet: await bundledRuleSet(), clock: FIXED_CLOCK, detectorVersion: 'test' },
    );

    fakes.ingestion.server.failAlways({ status: 500 });
    const emitted = await emitFindings(findings, sink, store, { invocationId: 'test' }, () => new Date());
    expect(emitted).toMatchObject({ uploaded: 0, deadLettered: 10 });
    expect((await resendDeadLetters(store, sink)).kept).toHaveLength(emitted.deadLetterBlobs.length);

    fakes.ingestion.server.failAlways(undefined);
    const replay = await resendDeadLetters(store, sink);
    expect(replay).toMatchObject({ resent: emitted.deadLetterBlobs.length, rows: 10, kept: [] });
    const left: string[] = [];
    for await (const name of store.list()) left.push(name);
    expect(left).toEqual([]);
    expect(fakes.ingestion.rows.map((r) => r['FindingId']).sort()).toEqual(
      findings.map((f) => f.FindingId).sort(),
    );
  });
});
