import { InvocationContext } from '@azure/functions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEventHubHandler, SUMMARY_PREFIX } from '../../src/azure/event-hub-handler.js';
import { DeadLetterFailedError } from '../../src/emit/emit-findings.js';
import type { InvocationSummary } from '../../src/pipeline/invocation.js';
import { ContainerClient } from '@azure/storage-blob';
import { join } from 'node:path';
import { loadRuleFiles } from '../../src/rules/load-rules.js';
import { buildRuleSet } from '../../src/rules/rule-set.js';
import { REPO_ROOT } from '../helpers/shared.js';
import { activityRecord, bundledRuleSet, FIXED_CLOCK, processBatch } from '../helpers/detector.js';
import {
  runtimeFor,
  SAMPLE_CLUSTERS,
  sampleBodies,
  startAzureFakes,
  type AzureFakes,
} from '../helpers/azure-env.js';

let fakes: AzureFakes;
beforeAll(async () => {
  fakes = await startAzureFakes();
}, 60_000);
afterAll(async () => {
  await fakes.stop();
});
beforeEach(async () => {
  fakes.ingestion.rows.length = 0;
  fakes.ingestion.server.failAlways(undefined);
  fakes.arm.server.failAlways(undefined);
  for await (const blob of fakes.deadLetter.listBlobsFlat()) await fakes.deadLetter.deleteBlob(blob.name);
});

interface Logged {
  level: string;
  message: string;
}

function invocation(events: number, logs: Logged[]): InvocationContext {
  return new InvocationContext({
    invocationId: '6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f',
    functionName: 'activityLog',
    logHandler: (level, ...args) => logs.push({ level, message: args.map(String).join(' ') }),
    triggerMetadata: {
      partitionContext: {
        fullyQualifiedNamespace: 'contoso-detector.servicebus.windows.net',
        eventHubName: 'insights-activity-logs',
        consumerGroup: 'kube-job-detector',
        partitionId: '3',
      },
      sequenceNumberArray: Array.from({ length: events }, (_, i) => 4100 + i),
      offsetArray: Array.from({ length: events }, (_, i) => String(616008 + i * 4096)),
      enqueuedTimeUtcArray: Array.from(
        { length: events },
        (_, i) => `2025-03-04T09:16:${String(i % 60).padStart(2, '0')}.25`,
      ),
      partitionKeyArray: [],
      propertiesArray: Array.from({ length: events }, () => ({})),
    },
  });
}

function summaryOf(logs: Logged[]): InvocationSummary {
  const lines = logs.filter((l) => l.message.startsWith(SUMMARY_PREFIX));
  expect(lines).toHaveLength(1);
  return JSON.parse((lines[0] as Logged).message.slice(SUMMARY_PREFIX.length)) as InvocationSummary;
}

async function deadLetterBlobs(): Promise<{ name: string; rows: number; error: string }[]> {
  const out: { name: string; rows: number; error: string }[] = [];
  for await (const blob of fakes.deadLetter.listBlobsFlat()) {
    const entry = JSON.parse(
      (await fakes.deadLetter.getBlockBlobClient(blob.name).downloadToBuffer()).toString(),
    ) as { rows: unknown[]; error: string };
    out.push({ name: blob.name, rows: entry.rows.length, error: entry.error });
  }
  return out;
}

describe('Event Hub handler against local Azure services', () => {
  it('uploads exactly the findings scan reports, enriched, and logs one summary', async () => {
    const bodies = sampleBodies();
    const mixed = bodies.map((b, i) =>
      i % 3 === 0 ? Buffer.from(JSON.stringify(b)) : i % 3 === 1 ? JSON.stringify(b) : b,
    );
    const logs: Logged[] = [];
    await createEventHubHandler(await runtimeFor(fakes))(mixed, invocation(bodies.length, logs));

    const expected = processBatch(
      bodies.map((body, event) => ({ body, origin: { event } })),
      { ruleSet: await bundledRuleSet(), clock: FIXED_CLOCK, detectorVersion: 'test' },
    ).findings;
    expect(fakes.ingestion.violations).toEqual([]);
    expect(
      fakes.ingestion.rows.map((r) => `${String(r['FindingId'])}|${String(r['SourceRecordId'])}`).sort(),
    ).toEqual(expected.map((r) => `${r.FindingId}|${r.SourceRecordId ?? ''}`).sort());
    expect(fakes.ingestion.rows).toHaveLength(10);
    for (const row of fakes.ingestion.rows) expect(row['Enrichment']).toMatchObject({ status: 'ok' });
    const arc = fakes.ingestion.rows.find((r) => r['ClusterKind'] === 'ConnectedCluster');
    expect(arc?.['Enrichment']).toMatchObject({
      status: 'ok',
      distribution: 'k3s',
      infrastructure: 'generic',
      agentVersion: '1.21.10',
      connectivityStatus: 'Connected',
      kubernetesVersion: '1.29.4',
    });
    const aks = fakes.ingestion.rows.find((r) => r['Source'] === 'KubeAudit');
    expect(aks?.['Enrichment']).toMatchObject({
      status: 'ok',
      location: 'westeurope',
      kubernetesVersion: '1.30.6',
      sku: { name: 'Base', tier: 'Standard' },
      privateCluster: false,
      localAccountsDisabled: true,
      azureRbac: true,
      entraIntegration: true,
      defenderEnabled: true,
      tags: { env: 'prod', owner: 'payments' },
    });
    expect(aks?.['ClusterName']).toBe('aks-pay-weu-01');
    expect(fakes.arm.violations).toEqual([]);
    expect(fakes.arm.lookupsOf(SAMPLE_CLUSTERS.payments)).toBe(1);

    const summary = summaryOf(logs);
    expect(summary).toMatchObject({
      partition: '3',
      events: bodies.length,
      records: 33,
      findings: 10,
      unreadable: 0,
      suppressed: 0,
      upload: { uploaded: 10, deadLettered: 0 },
      rulesNotLoaded: 0,
    });
    expect(summary.enrichment).toMatchObject({ byStatus: { ok: 10 } });
    expect(await deadLetterBlobs()).toEqual([]);
  });

  it('runs with the rules that loaded and counts those that did not in each summary', async () => {
    const broken = {
      path: 'rules/broken.yml',
      text: 'title: broken\nlogsource:\n  product: azure\n  service: activitylogs\ndetection:\n  sel:\n    operationName|contains|base64: jobs\n  condition: sel\n',
    };
    const { ruleSet } = buildRuleSet([...(await loadRuleFiles([join(REPO_ROOT, 'rules')])), broken]);
    expect(ruleSet.notLoaded).toEqual(['rules/broken.yml']);
    const bodies = sampleBodies();
    const logs: Logged[] = [];
    await createEventHubHandler({ ...(await runtimeFor(fakes)), ruleSet })(
      bodies,
      invocation(bodies.length, logs),
    );
    expect(summaryOf(logs)).toMatchObject({ findings: 10, rulesNotLoaded: 1 });
    expect(fakes.ingestion.rows).toHaveLength(10);
  });

  it('retries an ingestion 429 that carries Retry-After, then uploads', async () => {
    fakes.ingestion.server.failNext({
      status: 429,
      headers: { 'retry-after': '1' },
      body: { error: { code: 'TooManyRequests' } },
    });
    const logs: Logged[] = [];
    await createEventHubHandler(await runtimeFor(fakes))(sampleBodies(), invocation(6, logs));
    expect(summaryOf(logs).upload).toMatchObject({ uploaded: 10, deadLettered: 0 });
    expect(fakes.ingestion.rows).toHaveLength(10);
  });

  it('dead-letters rows after repeated 500s, one blob per failed chunk, and says why', async () => {
    fakes.ingestion.server.failAlways({
      status: 500,
      body: { error: { code: 'InternalServerError', message: 'boom' } },
    });
    const logs: Logged[] = [];
    await createEventHubHandler(await runtimeFor(fakes))(sampleBodies(), invocation(6, logs));
    const summary = summaryOf(logs);
    expect(summary.upload).toMatchObject({ uploaded: 0, deadLettered: 10 });
    const blobs = await deadLetterBlobs();
    expect(blobs.reduce((n, b) => n + b.rows, 0)).toBe(10);
    expect(blobs[0]?.error).toMatch(/500/);
    expect(logs.some((l) => l.level === 'warning' && /10 finding\(s\) dead-lettered/.test(l.message))).toBe(
      true,
    );
  });

  it('dead-letters rows when ingestion never answers', async () => {
    fakes.ingestion.server.failAlways({ hang: true });
    const logs: Logged[] = [];
    await createEventHubHandler(await runtimeFor(fakes))(sampleBodies(), invocation(6, logs));
    expect(summaryOf(logs).upload).toMatchObject({ uploaded: 0, deadLettered: 10 });
    expect((await deadLetterBlobs()).reduce((n, b) => n + b.rows, 0)).toBe(10);
  }, 30_000);

  it('throws when the dead-letter store fails too, so the retry policy holds the checkpoint', async () => {
    fakes.ingestion.server.failAlways({ status: 503 });
    const unreachable = new ContainerClient(`http://127.0.0.1:1/devstoreaccount1/nowhere`, undefined, {
      retryOptions: { maxTries: 2, retryDelayInMs: 50 },
    });
    const logs: Logged[] = [];
    const run = createEventHubHandler(await runtimeFor(fakes, { deadLetter: unreachable }))(
      sampleBodies(),
      invocation(6, logs),
    );
    await expect(run).rejects.toBeInstanceOf(DeadLetterFailedError);
    expect(logs.some((l) => l.level === 'error' && /retry policy/.test(l.message))).toBe(true);
  }, 60_000);

  it.each([
    ['429 without Retry-After', { status: 429 }, 'throttled'],
    [
      '500',
      { status: 500, body: { error: { code: 'InternalServerError', message: 'ARM failed' } } },
      'error',
    ],
  ])('writes findings with an enrichment status on ARM %s', async (_name, fault, status) => {
    fakes.arm.server.failAlways(fault);
    const logs: Logged[] = [];
    await createEventHubHandler(await runtimeFor(fakes))(sampleBodies(), invocation(6, logs));
    expect(fakes.ingestion.rows).toHaveLength(10);
    for (const row of fakes.ingestion.rows) expect(row['Enrichment']).toMatchObject({ status });
  });

  it('honours an ARM Retry-After within the budget, and gives up past it', async () => {
    fakes.arm.server.failNext({ status: 429, headers: { 'retry-after': '1' } });
    const logs: Logged[] = [];
    await createEventHubHandler(await runtimeFor(fakes))(
      [
        {
          records: [
            activityRecord('MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/JOBS/WRITE', {
              resourceId: SAMPLE_CLUSTERS.payments,
            }),
          ],
        },
      ],
      invocation(1, logs),
    );
    expect(fakes.ingestion.rows[0]?.['Enrichment']).toMatchObject({ status: 'ok' });

    fakes.ingestion.rows.length = 0;
    fakes.arm.server.failNext({ status: 429, headers: { 'retry-after': '60' } });
    await createEventHubHandler(await runtimeFor(fakes))(
      [
        {
          records: [
            activityRecord('MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/JOBS/WRITE', {
              resourceId: SAMPLE_CLUSTERS.payments,
            }),
          ],
        },
      ],
      invocation(1, []),
    );
    expect(fakes.ingestion.rows[0]?.['Enrichment']).toMatchObject({
      status: 'throttled',
      reason: expect.stringMatching(/exceeds the enrichment budget/),
    });
  });

  it('writes findings of a deleted cluster with status not-found', async () => {
    const gone =
      '/subscriptions/3f2a9c10-5b7e-4d21-9a44-0c1d2e3f4a5b/resourceGroups/rg-old/providers/Microsoft.ContainerService/managedClusters/aks-deleted';
    await createEventHubHandler(await runtimeFor(fakes))(
      [
        {
          records: [
            activityRecord('MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/JOBS/WRITE', {
              resourceId: gone,
            }),
          ],
        },
      ],
      invocation(1, []),
    );
    expect(fakes.ingestion.rows[0]?.['Enrichment']).toMatchObject({ status: 'not-found' });
  });

  it('processes 99 of 100 events when one is not JSON, and names it', async () => {
    const events = Array.from({ length: 100 }, (_, i) =>
      i === 42
        ? '{"records":[{"operationName":"MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/JOBS/WRITE"'
        : {
            records: [
              activityRecord('MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/JOBS/WRITE', {
                correlationId: `c-${i}`,
                resourceId: SAMPLE_CLUSTERS.batch,
              }),
            ],
          },
    );
    const logs: Logged[] = [];
    const lookupsBefore = fakes.arm.lookupsOf(SAMPLE_CLUSTERS.batch);
    await createEventHubHandler(await runtimeFor(fakes))(events, invocation(100, logs));
    const summary = summaryOf(logs);
    expect(summary).toMatchObject({
      events: 100,
      records: 99,
      findings: 99,
      unreadable: 1,
      upload: { uploaded: 99 },
    });
    expect(summary.problems[0]?.where).toBe('partition 3, event 42, sequence 4142');
    // 99 findings of one cluster: one ARM call, the rest coalesced onto it.
    expect(fakes.arm.lookupsOf(SAMPLE_CLUSTERS.batch) - lookupsBefore).toBe(1);
  });
});
