import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DCR_ID } from '../fakes/fake-ingestion.js';

const ENV = {
  ACTIVITY_LOG_HUB_NAME: 'insights-activity-logs',
  AKS_AUDIT_HUB_NAME: 'insights-logs-kube-audit-admin',
  EVENTHUB_CONSUMER_GROUP: 'kube-job-detector',
  EventHubConnection__fullyQualifiedNamespace: 'contoso-detector.servicebus.windows.net',
  LOGS_INGESTION_ENDPOINT: 'https://127.0.0.1:9/never-called',
  LOGS_INGESTION_DCR_IMMUTABLE_ID: DCR_ID,
  DEADLETTER_CONTAINER_URL: 'https://127.0.0.1:9/devstoreaccount1/deadletter',
  ARM_ENDPOINT: 'https://127.0.0.1:9',
};

describe('functions/index.ts registrations', () => {
  beforeAll(() => {
    for (const [k, v] of Object.entries(ENV)) vi.stubEnv(k, v);
    // Outside the Functions host the library warns and registers nothing; keep test output clean.
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterAll(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('exports the handler and registers many-cardinality binary Event Hub triggers with retries', async () => {
    const module = await import('../../functions/index.js');
    expect(typeof module.handler).toBe('function');
    const options = module.eventHubOptions('%ACTIVITY_LOG_HUB_NAME%');
    expect(options).toMatchObject({
      connection: 'EventHubConnection',
      eventHubName: '%ACTIVITY_LOG_HUB_NAME%',
      cardinality: 'many',
      consumerGroup: 'kube-job-detector',
    });
    expect(options.trigger).toMatchObject({
      type: 'eventHubTrigger',
      dataType: 'binary',
      cardinality: 'many',
      connection: 'EventHubConnection',
      eventHubName: '%ACTIVITY_LOG_HUB_NAME%',
    });
    expect(options.retry).toMatchObject({ strategy: 'exponentialBackoff' });
  });
});
