import { describe, expect, it } from 'vitest';
import { findingId } from '../../src/findings/finding-id.js';
import { boundRawRecord } from '../../src/findings/raw-record.js';
import { FINDING_SCHEMA } from '../../src/findings/schema.js';

describe('finding schema', () => {
  it('has the columns the table, the DCR and the code rely on, with Log Analytics types', () => {
    const byName = new Map(FINDING_SCHEMA.columns.map((c) => [c.name, c.type]));
    for (const [name, type] of Object.entries({
      TimeGenerated: 'datetime',
      DetectedAt: 'datetime',
      FindingId: 'string',
      RuleId: 'string',
      RuleTitle: 'string',
      Severity: 'string',
      Tactics: 'dynamic',
      Techniques: 'dynamic',
      Source: 'string',
      SourceRecordId: 'string',
      Operation: 'string',
      ResultType: 'string',
      ClusterResourceId: 'string',
      ClusterName: 'string',
      ClusterKind: 'string',
      SubscriptionId: 'string',
      ResourceGroup: 'string',
      Namespace: 'string',
      WorkloadKind: 'string',
      WorkloadName: 'string',
      Caller: 'string',
      CallerIpAddress: 'string',
      Indicators: 'dynamic',
      Enrichment: 'dynamic',
      RawRecord: 'dynamic',
      RawRecordTruncated: 'boolean',
    })) {
      expect(byName.get(name), name).toBe(type);
    }
    expect(new Set(FINDING_SCHEMA.columns.map((c) => c.name)).size).toBe(FINDING_SCHEMA.columns.length);
    expect(FINDING_SCHEMA.table).toMatch(/_CL$/);
    expect(FINDING_SCHEMA.stream).toBe(`Custom-${FINDING_SCHEMA.table.replace(/_CL$/, '')}`);
    // Log Analytics reserves these names in custom tables.
    for (const reserved of ['TenantId', 'Type', '_ResourceId', 'id'])
      expect(byName.has(reserved)).toBe(false);
  });
});

describe('findingId', () => {
  it('is deterministic and separates rule, source and operation', () => {
    const a = findingId('rule-1', 'AzureActivity', 'corr|OP|/sub');
    expect(findingId('RULE-1', 'AzureActivity', 'corr|OP|/sub')).toBe(a);
    expect(findingId('rule-2', 'AzureActivity', 'corr|OP|/sub')).not.toBe(a);
    expect(findingId('rule-1', 'KubeAudit', 'corr|OP|/sub')).not.toBe(a);
    expect(findingId('rule-1', 'AzureActivity', 'corr2|OP|/sub')).not.toBe(a);
  });
});

describe('boundRawRecord', () => {
  it('keeps small records whole and cuts large ones on a character boundary', () => {
    expect(boundRawRecord({ a: 1 }, 100)).toEqual({ value: { a: 1 }, truncated: false });
    const big = { text: '€'.repeat(100) };
    const cut = boundRawRecord(big, 50);
    expect(cut.truncated).toBe(true);
    expect(typeof cut.value).toBe('string');
    expect(Buffer.byteLength(cut.value as string)).toBeLessThanOrEqual(50);
    expect(cut.value as string).not.toContain('\uFFFD');
  });
});
