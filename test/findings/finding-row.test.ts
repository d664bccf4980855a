import { describe, expect, it } from 'vitest';
import type { FindingRow } from '../../src/findings/finding-row.js';
import { buildRuleSet } from '../../src/rules/rule-set.js';
import { aksRecord, auditEvent, cronJobBody, podSpec, type WriteOptions } from '../helpers/audit.js';
import { FIXED_CLOCK, processBatch } from '../helpers/detector.js';
import { ruleYaml } from '../helpers/rules.js';

/** The row of a finding on a kube-audit write: what Indicators says about the body, severity and time. */

const ruleSet = buildRuleSet([
  {
    path: 'rules/any-cronjob-write.yml',
    text: ruleYaml(
      'sel:\n  verb: create\n  objectRef.resource: cronjobs\ncondition: sel',
      'product: kubernetes\n    service: audit',
    ),
  },
]).ruleSet;

function rowFor(event: Record<string, unknown>): FindingRow {
  const { findings } = processBatch([{ body: { records: [aksRecord(event)] }, origin: { event: 0 } }], {
    ruleSet,
    clock: FIXED_CLOCK,
    detectorVersion: 'test',
  });
  expect(findings).toHaveLength(1);
  return findings[0] as FindingRow;
}

const row = (options: WriteOptions) => rowFor(auditEvent(options));

describe('Indicators on a kube-audit write', () => {
  it('a body not logged: says so, and lists no workload', () => {
    const { Indicators, Severity } = row({ level: 'Metadata' });
    expect(Indicators['requestBody']).toBe('not-logged');
    expect(Object.keys(Indicators).sort()).toEqual(['matched', 'requestBody']);
    expect(Severity).toBe('high');
  });

  it('a body read: the workload it would run, without repeating the body state', () => {
    const { Indicators } = row({ requestObject: cronJobBody(podSpec({ image: 'kali' })) });
    expect(Indicators['requestBody']).toBe('present');
    const workload = Indicators['workload'] as Record<string, unknown>;
    expect(workload['images']).toEqual(['kali']);
    expect(workload['kind']).toBe('CronJob');
    expect(Object.hasOwn(workload, 'body')).toBe(false);
  });

  it('a raised severity names its reasons', () => {
    const { Indicators, Severity } = row({ namespace: 'kube-system', level: 'Metadata' });
    expect(Indicators['severityRaisedBy']).toEqual(['written into kube-system']);
    expect(Severity).toBe('critical');
  });
});

describe('row columns', () => {
  it('the event time is the first valid clock of the record, and says which', () => {
    const found = row({});
    expect([found.TimeGenerated, found.EventTime, found.EventTimeSource]).toEqual([
      '2025-03-04T09:15:27.431220Z',
      '2025-03-04T09:15:27.431220Z',
      'requestReceivedTimestamp',
    ]);
  });

  it('no clock that parses: DetectedAt', () => {
    const event = { ...auditEvent(), requestReceivedTimestamp: 'yesterday', stageTimestamp: 'today' };
    const { findings } = processBatch(
      [{ body: { records: [{ ...aksRecord(event), time: 'now' }] }, origin: { event: 0 } }],
      { ruleSet, clock: FIXED_CLOCK, detectorVersion: 'test' },
    );
    const found = findings[0] as FindingRow;
    expect([found.TimeGenerated, found.EventTimeSource]).toEqual(['2025-03-04T10:00:00.000Z', 'DetectedAt']);
  });

  it('what the record does not say is null, not empty or invented', () => {
    const event = auditEvent();
    for (const key of ['auditID', 'responseStatus', 'user', 'sourceIPs']) delete event[key];
    const record = { ...aksRecord(event), resourceId: 'not-an-arm-id' };
    const { findings } = processBatch([{ body: { records: [record] }, origin: { event: 0 } }], {
      ruleSet,
      clock: FIXED_CLOCK,
      detectorVersion: 'test',
    });
    const found = findings[0] as FindingRow;
    expect({
      SourceRecordId: found.SourceRecordId,
      ResultType: found.ResultType,
      ClusterResourceId: found.ClusterResourceId,
      ClusterName: found.ClusterName,
      ClusterKind: found.ClusterKind,
      SubscriptionId: found.SubscriptionId,
      ResourceGroup: found.ResourceGroup,
      Caller: found.Caller,
      CallerObjectId: found.CallerObjectId,
      CallerIpAddress: found.CallerIpAddress,
    }).toEqual({
      SourceRecordId: null,
      ResultType: null,
      ClusterResourceId: null,
      ClusterName: null,
      ClusterKind: null,
      SubscriptionId: null,
      ResourceGroup: null,
      Caller: null,
      CallerObjectId: null,
      CallerIpAddress: null,
    });
  });
});
