import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveWorkload } from '../../src/sources/kube-audit/workload.js';
import { aksRecord } from '../helpers/audit.js';
import { bundledRuleSet, FIXED_CLOCK, processBatch } from '../helpers/detector.js';
import { hostileAuditEvent, hostileJson, PROTOTYPE_KEYS } from '../helpers/hostile-audit.js';

const RUNS = Number(process.env['PROPERTY_RUNS'] ?? 300);

const isStringList = (value: unknown) => Array.isArray(value) && value.every((v) => typeof v === 'string');

function expectWellFormed(event: Record<string, unknown>): void {
  const facts = deriveWorkload(event);
  if (facts === undefined) return;
  for (const list of [facts.images, facts.commands, facts.hostPaths, facts.mountPaths, facts.truncated])
    expect(isStringList(list)).toBe(true);
  expect(facts.error).toBeUndefined();
}

describe('workload derivation on attacker-shaped JSON', () => {
  it('generates the prototype keys it claims to', () => {
    const samples = fc.sample(hostileJson, { numRuns: 2000, seed: 7 });
    const keys = new Set<string>();
    const visit = (v: unknown, depth: number): void => {
      if (depth > 20 || typeof v !== 'object' || v === null) return;
      for (const [k, child] of Object.entries(v)) {
        keys.add(k);
        visit(child, depth + 1);
      }
    };
    for (const sample of samples) visit(sample, 0);
    for (const k of PROTOTYPE_KEYS) expect(keys).toContain(k);
  });

  it('never throws, whatever the bodies hold, as generated or as parsed from JSON text', () => {
    fc.assert(
      fc.property(hostileAuditEvent, (event) => {
        expectWellFormed(event);
        expectWellFormed(JSON.parse(JSON.stringify(event)) as Record<string, unknown>);
      }),
      { numRuns: RUNS },
    );
  });

  it('never throws on any JSON value as the request body of a CronJob write', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (requestObject, responseObject) => {
        expectWellFormed({
          verb: 'patch',
          objectRef: { resource: 'cronjobs' },
          requestObject,
          responseObject,
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('costs the pipeline nothing: no record of these is reported unreadable or fails a rule', async () => {
    const ruleSet = await bundledRuleSet();
    fc.assert(
      fc.property(hostileAuditEvent, (event) => {
        const { report } = processBatch([{ body: { records: [aksRecord(event)] }, origin: {} }], {
          ruleSet,
          clock: FIXED_CLOCK,
          detectorVersion: 'test',
        });
        expect(report.problems).toEqual([]);
      }),
      { numRuns: Math.ceil(RUNS / 3) },
    );
  });
});
