import { describe, expect, it } from 'vitest';
import { boundRow, ENRICHMENT_MAX_BYTES } from '../../src/findings/bound/bound-row.js';
import { cutAround } from '../../src/findings/bound/cut-text.js';
import { DEFAULT_FINDING_POLICY } from '../../src/findings/finding-policy.js';
import type { FindingRow } from '../../src/findings/finding-row.js';
import { FINDING_SCHEMA } from '../../src/findings/schema.js';
import { buildRuleSet } from '../../src/rules/rule-set.js';
import { aksRecord, auditEvent, cronJobBody, podSpec } from '../helpers/audit.js';
import { FIXED_CLOCK, processBatch } from '../helpers/detector.js';
import { ruleYaml } from '../helpers/rules.js';

/** A finding on a CronJob write, as the pipeline builds it, before its columns are bounded again. */
const ruleSet = buildRuleSet([
  {
    path: 'rules/cronjob-write.yml',
    text: ruleYaml(
      'sel:\n  verb: create\n  objectRef.resource: cronjobs\ncondition: sel',
      'product: kubernetes\n    service: audit',
    ),
  },
]).ruleSet;

function finding(): FindingRow {
  const event = auditEvent({ requestObject: cronJobBody(podSpec({ image: 'alpine' })) });
  const { findings } = processBatch([{ body: { records: [aksRecord(event)] }, origin: { event: 0 } }], {
    ruleSet,
    clock: FIXED_CLOCK,
    detectorVersion: 'test',
  });
  return findings[0] as FindingRow;
}

const nothing = () => [];
const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');
const LIMITS = { columnMaxBytes: 4096, rowMaxBytes: FINDING_SCHEMA.rowMaxBytes };
const BOUNDED = FINDING_SCHEMA.columns.filter((c) => c.type === 'string' || c.type === 'dynamic').length;

describe('boundRow', () => {
  it('a row within every cap is kept, with nothing listed as cut', () => {
    const row = finding();
    expect(boundRow(row, LIMITS, nothing)).toEqual({ ...row, Truncated: {}, RawRecordTruncated: false });
  });

  it('the default policy caps each column at the schema default', () => {
    expect(DEFAULT_FINDING_POLICY).toEqual({ redaction: 'default', columnMaxBytes: 32_768 });
  });

  it('a column over its cap is cut, listed with its size, and the others are kept', () => {
    const row = { ...finding(), WorkloadName: `job-${'a'.repeat(5000)}` };
    const bounded = boundRow(row, LIMITS, nothing);
    expect(bounded).toEqual({
      ...row,
      WorkloadName: cutAround(row.WorkloadName, [], 4096),
      Truncated: { WorkloadName: bytes(row.WorkloadName) },
      RawRecordTruncated: false,
    });
  });

  it('a cut RawRecord sets RawRecordTruncated', () => {
    const row = { ...finding(), RawRecord: 'r'.repeat(5000) };
    const bounded = boundRow(row, LIMITS, nothing);
    expect([bounded.RawRecordTruncated, bounded.Truncated]).toEqual([true, { RawRecord: 5002 }]);
  });

  it('a column cut before the row was built is listed with the size it came from, when larger', () => {
    const row = { ...finding(), WorkloadName: 'w'.repeat(5000) };
    const before = new Map([
      ['WorkloadName', 1_000_000],
      ['Namespace', 1_000_000],
    ]);
    const asked: string[] = [];
    const sizeBefore = (column: string): number | undefined => {
      asked.push(column);
      return before.get(column);
    };
    expect(boundRow(row, LIMITS, nothing, sizeBefore).Truncated).toEqual({ WorkloadName: 1_000_000 });
    // Asked only of the column that was cut.
    expect(asked).toEqual(['WorkloadName']);
    const smaller = new Map([['WorkloadName', 10]]);
    expect(boundRow(row, LIMITS, nothing, (column) => smaller.get(column)).Truncated).toEqual({
      WorkloadName: 5002,
    });
  });

  it('a row over the row cap: the largest column is squeezed by the excess, with room kept for the enrichment', () => {
    const row = { ...finding(), RawRecord: 'r'.repeat(60_000), WorkloadName: 'w'.repeat(50_000) };
    const limits = { columnMaxBytes: 65_536, rowMaxBytes: 100_000 };
    const bounded = boundRow(row, limits, nothing);
    const reserve = 64 * BOUNDED + ENRICHMENT_MAX_BYTES;
    expect(bytes(bounded) + reserve).toBeLessThanOrEqual(limits.rowMaxBytes);
    // Squeezed by what the row was over, not more.
    expect(bytes(bounded) + reserve).toBeGreaterThan(limits.rowMaxBytes - 200);
    expect(bounded.Truncated).toEqual({ RawRecord: 60_002 });
    expect(bounded.WorkloadName).toBe(row.WorkloadName);
    expect(bounded.RawRecordTruncated).toBe(true);
  });

  it('squeezes the next largest column when one is not enough, none below 1,024 bytes', () => {
    const row = { ...finding(), RawRecord: 'r'.repeat(60_000), WorkloadName: 'w'.repeat(60_000) };
    const limits = { columnMaxBytes: 65_536, rowMaxBytes: 60_000 };
    const bounded = boundRow(row, limits, nothing);
    expect(bounded.Truncated).toEqual({ WorkloadName: 60_002, RawRecord: 60_002 });
    expect(bytes(bounded.WorkloadName)).toBeLessThanOrEqual(1024);
    expect(bytes(bounded.WorkloadName)).toBeGreaterThan(900);
    expect(bytes(bounded) + 64 * BOUNDED + ENRICHMENT_MAX_BYTES).toBeLessThanOrEqual(limits.rowMaxBytes);
    expect(bytes(bounded.RawRecord)).toBeGreaterThan(50_000);
  });

  it('a row that cannot fit keeps every column of at most 1,024 bytes whole', () => {
    const row = { ...finding(), RawRecord: 'r'.repeat(60_000) };
    const bounded = boundRow(row, { columnMaxBytes: 65_536, rowMaxBytes: 8000 }, nothing);
    expect(bytes(bounded.RawRecord)).toBeLessThanOrEqual(1024);
    expect(bytes(bounded.RawRecord)).toBeGreaterThan(900);
    expect(bounded.Indicators).toEqual(row.Indicators);
    expect(bounded.Truncated).toEqual({ RawRecord: 60_002 });
  });

  it('a value too deep to bound is replaced by what went wrong, and listed as cut', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const row = { ...finding(), Enrichment: { tags: deep } as Record<string, unknown> };
    const bounded = boundRow(row, LIMITS, nothing);
    expect(bounded.Enrichment).toMatch(/^\[cut: could not be bounded: Maximum call stack size exceeded\]$/);
    expect(Object.keys(bounded.Truncated)).toEqual(['Enrichment']);
  });
});
