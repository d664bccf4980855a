import { describe, expect, it } from 'vitest';
import { FINDING_COLUMNS } from '../../src/findings/schema.js';
import type { InputBody } from '../../src/pipeline/detector.js';
import { aksRecord, auditEvent, cronJobBody, podSpec } from '../helpers/audit.js';
import { activityRecord, bundledRuleSet, FIXED_CLOCK, processBatch } from '../helpers/detector.js';

const SEED_RULE = '1c71e254-6655-42c1-b2d6-5e4718d7fc0a';
const deps = async () => ({ ruleSet: await bundledRuleSet(), clock: FIXED_CLOCK, detectorVersion: 'test' });
const body = (records: unknown[], event = 0): InputBody => ({ body: { records }, origin: { event } });

describe('Activity Log seed rule through the pipeline', () => {
  it.each([
    'MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/CRONJOBS/WRITE',
    'MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/JOBS/WRITE',
    'Microsoft.Kubernetes/connectedClusters/batch/jobs/write',
    'microsoft.kubernetes/connectedclusters/batch/cronjobs/write',
  ])('flags %s', async (operation) => {
    const { findings } = processBatch([body([activityRecord(operation)])], await deps());
    expect(findings.map((f) => f.RuleId)).toEqual([SEED_RULE]);
  });

  it.each([
    'MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/WRITE',
    'MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/CRONJOBS/READ',
    'MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/CRONJOBS/DELETE',
    'MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/APPS/DEPLOYMENTS/WRITE',
    'MICROSOFT.COMPUTE/VIRTUALMACHINES/BATCH/JOBS/WRITE',
  ])('does not flag %s', async (operation) => {
    const { findings } = processBatch([body([activityRecord(operation)])], await deps());
    expect(findings).toEqual([]);
  });

  it('fills the finding row from the record, with the corrected technique', async () => {
    const { findings } = processBatch(
      [body([activityRecord('MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/CRONJOBS/WRITE')])],
      await deps(),
    );
    const [row] = findings;
    expect(Object.keys(row ?? {}).sort()).toEqual([...FINDING_COLUMNS].sort());
    expect(row).toMatchObject({
      TimeGenerated: '2025-03-04T09:15:27.4410532Z',
      DetectedAt: '2025-03-04T10:00:00.000Z',
      RuleId: SEED_RULE,
      RuleTitle: 'Azure Kubernetes CronJob',
      Severity: 'medium',
      Techniques: ['T1053.007'],
      Tactics: ['Persistence', 'Privilege Escalation', 'Execution'],
      Source: 'AzureActivity',
      SourceRecordId: '6b0f3c2e-8d41-4a7e-b1c9-2f5e7a90d314',
      ResultType: 'Success',
      ClusterResourceId:
        '/subscriptions/3f2a9c10-5b7e-4d21-9a44-0c1d2e3f4a5b/resourcegroups/rg-pay/providers/microsoft.containerservice/managedclusters/aks-pay-01',
      ClusterName: 'aks-pay-01',
      ClusterKind: 'ManagedCluster',
      SubscriptionId: '3f2a9c10-5b7e-4d21-9a44-0c1d2e3f4a5b',
      ResourceGroup: 'rg-pay',
      WorkloadKind: 'CronJob',
      Caller: 'mallory@contoso.example',
      CallerObjectId: 'c4d5e6f7-0819-4a2b-9c3d-4e5f6a7b8c9d',
      CallerIpAddress: '198.51.100.23',
      Indicators: {
        matched: {
          selection: { operationName: 'MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/CRONJOBS/WRITE' },
        },
      },
      Enrichment: { status: 'not-requested' },
      RawRecordTruncated: false,
    });
  });

  it('gives the Start and Success records of one write, and redeliveries, the same FindingId', async () => {
    const op = 'MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/CRONJOBS/WRITE';
    const start = activityRecord(op, {
      resultType: 'Start',
      time: '2025-03-04T09:15:27.1Z',
      resourceId:
        '/SUBSCRIPTIONS/3F2A9C10-5B7E-4D21-9A44-0C1D2E3F4A5B/RESOURCEGROUPS/RG-PAY/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/AKS-PAY-01',
    });
    const success = activityRecord(op.toLowerCase(), {
      resultType: 'Success',
      resourceId:
        '/subscriptions/3f2a9c10-5b7e-4d21-9a44-0c1d2e3f4a5b/resourceGroups/rg-pay/providers/Microsoft.ContainerService/managedClusters/aks-pay-01',
    });
    const other = activityRecord(op, { correlationId: 'ffffffff-8d41-4a7e-b1c9-2f5e7a90d314' });
    const { findings } = processBatch([body([start, success]), body([start, other], 1)], await deps());
    const ids = findings.map((f) => f.FindingId);
    expect(ids).toHaveLength(4);
    expect(new Set(ids.slice(0, 3)).size).toBe(1);
    expect(ids[3]).not.toBe(ids[0]);
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('bad input never costs the rest of the batch', () => {
  it('counts a malformed body the prefilter rules out as skipped, and reports it when parsed', async () => {
    const garbage = { body: Buffer.from('{"records": [ trunc'), origin: { event: 0 } };
    const withPrefilter = processBatch([garbage], await deps());
    expect(withPrefilter.report).toMatchObject({ prefilterSkippedBodies: 1, unreadable: 0 });
    const without = processBatch([garbage], { ...(await deps()), prefilter: false });
    expect(without.report).toMatchObject({ prefilterSkippedBodies: 0, unreadable: 1 });
  });

  it("parses bytes read from a file that hold another shape's marker, even when the prefilter rules them out", async () => {
    // A cut EventList line: no rule literal, so the raw-text prefilter alone would skip it.
    const line = Buffer.from('{"kind":"EventList","items": [ trunc');
    const fromFile = processBatch(
      [{ body: line, origin: { file: 'f.jsonl', line: 1 }, anyShape: true }],
      await deps(),
    );
    expect(fromFile.report).toMatchObject({ prefilterSkippedBodies: 0, unreadable: 1 });
    expect(fromFile.report.problems[0]?.where).toBe('f.jsonl, line 1');
    // The same bytes from Event Hubs are the export by construction: the prefilter decides alone.
    const fromHub = processBatch([{ body: line, origin: { event: 0 } }], await deps());
    expect(fromHub.report).toMatchObject({ prefilterSkippedBodies: 1, unreadable: 0 });
    // A line from a file without any marker is skipped as before.
    const plain = Buffer.from('{"records": [ trunc');
    const plainLine = processBatch(
      [{ body: plain, origin: { file: 'f.jsonl', line: 2 }, anyShape: true }],
      await deps(),
    );
    expect(plainLine.report).toMatchObject({ prefilterSkippedBodies: 1, unreadable: 0 });
  });

  it('processes 99 of 100 bodies when one is malformed, and says which', async () => {
    const good = activityRecord('MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/JOBS/WRITE');
    const truncated = JSON.stringify({ records: [good] }).slice(0, 400);
    const inputs: InputBody[] = Array.from({ length: 100 }, (_, i) =>
      i === 37
        ? { body: Buffer.from(truncated), origin: { event: i } }
        : body([{ ...good, correlationId: `c-${i}` }], i),
    );
    const { findings, report } = processBatch(inputs, await deps());
    expect(findings).toHaveLength(99);
    expect(report).toMatchObject({ bodies: 100, records: 99, unreadable: 1, findings: 99 });
    expect(report.problems[0]?.where).toBe('event 37');
  });

  it('counts unknown records and type-confused fields without error', async () => {
    const records = [
      { category: 'AuditEvent', operationName: 'VaultGet', resultType: 'Success' },
      { hello: 'world' },
      activityRecord('x', { operationName: 12345 }),
      activityRecord('x', { operationName: null }),
      activityRecord('MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/JOBS/WRITE', {
        resourceId: 42,
        identity: 'not-an-object',
        time: 'yesterday',
      }),
    ];
    const { findings, report } = processBatch([body(records)], await deps());
    expect(report.bySource).toEqual({ AzureActivity: 1, KubeAudit: 0, unknown: 4 });
    expect(report.unreadable).toBe(0);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      TimeGenerated: '2025-03-04T10:00:00.000Z',
      ClusterResourceId: null,
      Caller: null,
    });
  });

  it('routes kube-audit records and reports a log that is not JSON', async () => {
    const audit = {
      category: 'kube-audit',
      operationName: 'Microsoft.ContainerService/managedClusters/diagnosticLogs/Read',
      properties: { log: '{"kind":"Event","verb":"get"}\n' },
    };
    const broken = { ...audit, properties: { log: 'I0304 09:15:27 create batch/v1 jobs: not json' } };
    const { report } = processBatch([body([audit, broken])], await deps());
    expect(report.bySource.KubeAudit).toBe(2);
    expect(report.unreadable).toBe(1);
    expect(report.problems[0]?.message).toMatch(/properties.log is not JSON/);
  });
});

describe('event time', () => {
  const audit = (event: Record<string, unknown>, time?: string) => {
    const record = aksRecord(event);
    if (time === undefined) delete record['time'];
    else record['time'] = time;
    return record;
  };
  const write = () =>
    auditEvent({
      requestObject: cronJobBody(podSpec({ image: 'alpine', command: ['sh', '-c', 'mkfifo /tmp/f'] })),
    });

  it("takes the audit event's request time, else its stage time, else the record's time, else the detector's clock", async () => {
    const withoutRequest = write();
    delete withoutRequest['requestReceivedTimestamp'];
    const neither = write();
    delete neither['stageTimestamp'];
    delete neither['requestReceivedTimestamp'];
    const cases: [Record<string, unknown>, string, string][] = [
      [audit(write(), '2025-03-01T08:00:00Z'), '2025-03-04T09:15:27.431220Z', 'requestReceivedTimestamp'],
      [audit(withoutRequest), '2025-03-04T09:15:27.452918Z', 'stageTimestamp'],
      [audit(neither, '2025-03-01T08:00:00Z'), '2025-03-01T08:00:00Z', 'time'],
      [audit(neither, 'yesterday'), '2025-03-04T10:00:00.000Z', 'DetectedAt'],
      [audit(neither), '2025-03-04T10:00:00.000Z', 'DetectedAt'],
    ];
    for (const [record, time, source] of cases) {
      const { findings } = processBatch([body([record])], await deps());
      const finding = findings.find((f) => f.Source === 'KubeAudit');
      expect(finding, source).toMatchObject({
        EventTime: time,
        EventTimeSource: source,
        TimeGenerated: time,
      });
    }
  });

  it('keeps an old event time for backfills, whatever Log Analytics does with TimeGenerated', async () => {
    const { findings } = processBatch(
      [
        body([
          activityRecord('MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/JOBS/WRITE', {
            time: '2024-01-02T03:04:05Z',
          }),
        ]),
      ],
      await deps(),
    );
    expect(findings[0]).toMatchObject({
      EventTime: '2024-01-02T03:04:05Z',
      EventTimeSource: 'time',
      DetectedAt: '2025-03-04T10:00:00.000Z',
    });
  });
});
