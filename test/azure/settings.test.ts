import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSettings, SETTING_NAMES, SettingsError } from '../../src/config/settings.js';
import { REPO_ROOT } from '../helpers/shared.js';

const VALID = {
  ACTIVITY_LOG_HUB_NAME: 'insights-activity-logs',
  EventHubConnection__fullyQualifiedNamespace: 'contoso.servicebus.windows.net',
  LOGS_INGESTION_ENDPOINT: 'https://dce-1.westeurope-1.ingest.monitor.azure.com/',
  LOGS_INGESTION_DCR_IMMUTABLE_ID: 'dcr-0123456789abcdef0123456789abcdef',
  DEADLETTER_CONTAINER_URL: 'https://stdetector.blob.core.windows.net/deadletter',
};

describe('settings', () => {
  it('reads a minimal configuration with defaults', () => {
    const settings = readSettings(VALID);
    expect(settings).toMatchObject({
      consumerGroup: '$Default',
      auditHubName: undefined,
      ingestion: {
        endpoint: 'https://dce-1.westeurope-1.ingest.monitor.azure.com',
        streamName: 'Custom-KubeJobFindings',
        timeoutMs: 30_000,
        maxRetries: 3,
      },
      enrichment: {
        enabled: true,
        armEndpoint: 'https://management.azure.com',
        cacheTtlMs: 900_000,
        budgetMs: 20_000,
      },
    });
  });

  it('names every missing or malformed setting at once', () => {
    let error: unknown;
    try {
      readSettings({
        ...VALID,
        ACTIVITY_LOG_HUB_NAME: '',
        LOGS_INGESTION_ENDPOINT: 'http://plain.example',
        LOGS_INGESTION_DCR_IMMUTABLE_ID: 'dcr-xyz',
        ENRICHMENT_ENABLED: 'maybe',
        ENRICHMENT_BUDGET_SECONDS: '-1',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SettingsError);
    const problems = (error as SettingsError).problems.join('\n');
    for (const name of [
      'ACTIVITY_LOG_HUB_NAME is not set',
      'LOGS_INGESTION_ENDPOINT must be an https:// URL',
      'LOGS_INGESTION_DCR_IMMUTABLE_ID is "dcr-xyz"',
      'ENRICHMENT_ENABLED must be true or false',
      'ENRICHMENT_BUDGET_SECONDS must be a whole number',
    ]) {
      expect(problems).toContain(name);
    }
  });

  it('local.settings.example.json lists every setting the runtime reads', () => {
    const example = JSON.parse(readFileSync(join(REPO_ROOT, 'local.settings.example.json'), 'utf8')) as {
      Values: Record<string, string>;
    };
    for (const name of Object.values(SETTING_NAMES)) expect(Object.keys(example.Values)).toContain(name);
  });
});

describe('secrets in settings errors', () => {
  it('masks query strings, keys and passwords in every message', () => {
    const secrets = ['SASSIGNATURE', 'FUNCTIONKEY', 'ACCOUNTKEY', 'hunter2'];
    let message = '';
    try {
      readSettings({
        DEADLETTER_CONTAINER_URL: 'http://acct.blob.core.windows.net/dead?sv=2024&sig=SASSIGNATURE',
        LOGS_INGESTION_ENDPOINT: 'not a url code=FUNCTIONKEY',
        ARM_ENDPOINT: 'http://admin:hunter2@arm.example',
        LOGS_INGESTION_DCR_IMMUTABLE_ID: 'AccountKey=ACCOUNTKEY',
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/DEADLETTER_CONTAINER_URL/);
    expect(message).toMatch(/dead\?\*\*\*/);
    for (const secret of secrets) expect(message).not.toContain(secret);
  });
});
