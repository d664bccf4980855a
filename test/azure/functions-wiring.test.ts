import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FUNCTION_APP_SETTINGS } from '../helpers/function-app-settings.js';

describe('functions/index.ts registrations', () => {
  beforeAll(() => {
    for (const [k, v] of Object.entries(FUNCTION_APP_SETTINGS)) vi.stubEnv(k, v);
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
