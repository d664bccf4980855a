import { join } from 'node:path';
import { createHttpHeaders, createPipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogsIngestionSink } from '../../src/azure/logs-ingestion-sink.js';
import {
  DEFAULT_MAX_RETRY_AFTER_MS,
  maxRetryAfterWithin,
  retryBudgetMs,
  retryTimingPolicy,
} from '../../src/azure/retry-timing.js';
import { functionTimeoutMs } from '../../src/config/function-timeout.js';
import { readSettings } from '../../src/config/settings.js';
import type { FindingRow } from '../../src/findings/finding-row.js';
import { DCR_ID, FakeIngestion } from '../fakes/fake-ingestion.js';
import { generateTestCertificate, trustPolicy, type TestCertificate } from '../fakes/tls.js';
import { bundledRuleSet, FIXED_CLOCK, processBatch } from '../helpers/detector.js';
import { sampleBodies, staticCredential } from '../helpers/azure-env.js';
import { REPO_ROOT } from '../helpers/shared.js';

let ingestion: FakeIngestion;
let certificate: TestCertificate;
let rows: FindingRow[];

beforeAll(async () => {
  certificate = await generateTestCertificate();
  ingestion = await FakeIngestion.start(certificate);
  rows = processBatch(
    sampleBodies().map((body, event) => ({ body, origin: { event } })),
    { ruleSet: await bundledRuleSet(), clock: FIXED_CLOCK, detectorVersion: 'test' },
  ).findings;
}, 60_000);
afterAll(async () => {
  await ingestion.server.close();
});

function sink(maxRetryAfterMs: number): LogsIngestionSink {
  return new LogsIngestionSink({
    endpoint: ingestion.url,
    dcrImmutableId: DCR_ID,
    streamName: 'Custom-KubeJobFindings',
    credential: staticCredential,
    timeoutMs: 5000,
    maxRetries: 2,
    retryDelayMs: 10,
    maxRetryAfterMs,
    additionalPolicies: [trustPolicy(certificate)],
  });
}

describe('Logs Ingestion retry timing', () => {
  it('cuts a Retry-After longer than the cap instead of sleeping past the function timeout', async () => {
    ingestion.rows.length = 0;
    ingestion.server.failNext({ status: 429, headers: { 'retry-after': '3600' } });
    const result = await sink(50).upload(rows);
    expect(result).toEqual({ uploaded: rows.length, failures: [] });
    expect(ingestion.rows).toHaveLength(rows.length);
  }, 20_000);

  it('retries a 429 that has no Retry-After', async () => {
    ingestion.rows.length = 0;
    ingestion.server.failNext({ status: 429 }, 2);
    const result = await sink(50).upload(rows);
    expect(result).toEqual({ uploaded: rows.length, failures: [] });
    expect(ingestion.rows).toHaveLength(rows.length);
  }, 20_000);

  it('backs a bare 429 off exponentially, with jitter, under the cap', async () => {
    const waits = async (random: number): Promise<string[]> => {
      const policy = retryTimingPolicy({ maxRetryAfterMs: 700, baseDelayMs: 100, random: () => random });
      const request = createPipelineRequest({ url: 'https://127.0.0.1/' });
      const out: string[] = [];
      for (let i = 0; i < 5; i++) {
        const response: PipelineResponse = { request, status: 429, headers: createHttpHeaders() };
        out.push(
          (await policy.sendRequest(request, async () => response)).headers.get('retry-after-ms') ?? '',
        );
      }
      return out;
    };
    expect(await waits(0)).toEqual(['80', '160', '320', '640', '700']);
    expect(await waits(1)).toEqual(['120', '240', '480', '700', '700']);
  });
});

describe('the retry budget fits the function timeout', () => {
  it('with the default settings, one chunk retries within half of host.json functionTimeout', () => {
    const timeout = functionTimeoutMs(join(REPO_ROOT, 'host.json'));
    expect(timeout).toBe(10 * 60_000);
    const { ingestion: settings } = readSettings({
      ACTIVITY_LOG_HUB_NAME: 'insights-activity-logs',
      EventHubConnection__fullyQualifiedNamespace: 'contoso.servicebus.windows.net',
      LOGS_INGESTION_ENDPOINT: 'https://dce-1.westeurope-1.ingest.monitor.azure.com',
      LOGS_INGESTION_DCR_IMMUTABLE_ID: DCR_ID,
      DEADLETTER_CONTAINER_URL: 'https://stdetector.blob.core.windows.net/deadletter',
    });
    const maxRetryAfterMs = maxRetryAfterWithin(timeout, settings);
    expect(maxRetryAfterMs).toBe(DEFAULT_MAX_RETRY_AFTER_MS);
    expect(retryBudgetMs({ ...settings, maxRetryAfterMs })).toBe(300_000);
    expect(retryBudgetMs({ ...settings, maxRetryAfterMs })).toBeLessThanOrEqual(timeout / 2);
  });

  it('shrinks the cap when retries and timeouts take more of it', () => {
    expect(maxRetryAfterWithin(10 * 60_000, { maxRetries: 6, timeoutMs: 30_000 })).toBe(15_000);
  });
});
