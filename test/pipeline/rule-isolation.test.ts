import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { FindingRow } from '../../src/findings/finding-row.js';
import { loadRuleFiles } from '../../src/rules/load-rules.js';
import type { ActiveRule } from '../../src/rules/active-rule.js';
import { buildRuleSet, type RuleSet } from '../../src/rules/rule-set.js';
import type * as Workload from '../../src/sources/kube-audit/workload.js';
import { aksRecord, auditEvent, cronJobBody, podSpec } from '../helpers/audit.js';
import { FIXED_CLOCK, processBatch } from '../helpers/detector.js';
import { hostileAuditEvent } from '../helpers/hostile-audit.js';
import { ruleYaml } from '../helpers/rules.js';
import { REPO_ROOT } from '../helpers/shared.js';

/** Lets a test make workload derivation fail, as a defect in it would. */
const derivation = vi.hoisted(() => ({ fails: false }));
vi.mock('../../src/sources/kube-audit/workload.js', async (importOriginal) => {
  const actual = await importOriginal<typeof Workload>();
  return {
    ...actual,
    deriveWorkload: (event: Record<string, unknown>) => {
      if (derivation.fails) throw new TypeError('path is not iterable');
      return actual.deriveWorkload(event);
    },
  };
});

const RUNS = Number(process.env['PROPERTY_RUNS'] ?? 300);
const SEED_RULE = 'f4fc1f0e-ebc3-4f51-808e-2b12ba1883d8';
const RAW_RULE = '9a0f1a52-8d47-4b2e-9a6f-0c1d2e3f4a5b';

/** The bundled rules plus one that reads only the audit Event's own fields. */
async function ruleSetWithRawRule(): Promise<RuleSet> {
  const files = await loadRuleFiles([`${REPO_ROOT}/rules`]);
  const raw = ruleYaml(
    `write:\n  verb: [create, update, patch]\n  objectRef.resource: [cronjobs, jobs, pods, podtemplates]\ncondition: write`,
    'product: kubernetes\n    service: audit',
  );
  const { ruleSet, files: reports } = buildRuleSet([...files, { path: 'test/raw.yml', text: raw }]);
  const broken = reports.filter((r) => r.status === 'error');
  if (broken.length > 0) throw new Error(JSON.stringify(broken));
  return ruleSet;
}

function run(ruleSet: RuleSet, event: Record<string, unknown>, fails: boolean) {
  derivation.fails = fails;
  try {
    return processBatch([{ body: { records: [aksRecord(event)] }, origin: { event: 3 } }], {
      ruleSet,
      clock: FIXED_CLOCK,
      detectorVersion: 'test',
      prefilter: false,
    });
  } finally {
    derivation.fails = false;
  }
}

const ids = (findings: readonly FindingRow[], rule: string) =>
  findings.filter((f) => f.RuleId === rule).map((f) => f.FindingId);

describe('one rule failing costs no other rule its finding on the same record', () => {
  it('a failed derivation: the raw-field rule still finds, and the failure is reported', async () => {
    const ruleSet = await ruleSetWithRawRule();
    const event = auditEvent({ requestObject: cronJobBody(podSpec({ image: 'alpine' })) });
    const healthy = run(ruleSet, event, false);
    expect(healthy.findings.map((f) => f.RuleId).sort()).toEqual([RAW_RULE, SEED_RULE].sort());
    const failed = run(ruleSet, event, true);
    expect(failed.findings.map((f) => f.RuleId)).toEqual([RAW_RULE]);
    expect(failed.findings[0]?.Indicators).toMatchObject({
      requestBody: 'unreadable',
      requestBodyError: 'path is not iterable',
    });
    expect(failed.findings[0]?.Indicators['workload']).toBeUndefined();
    expect(failed.report.problems).toEqual([
      { where: 'event 3, record 0', message: 'workload fields not derived: path is not iterable' },
    ]);
  });

  it('holds for attacker-shaped records: the raw-field rule finds the same with derivation failing', async () => {
    const ruleSet = await ruleSetWithRawRule();
    fc.assert(
      fc.property(hostileAuditEvent, (event) => {
        const healthy = run(ruleSet, event, false);
        const failed = run(ruleSet, event, true);
        expect(ids(failed.findings, RAW_RULE)).toEqual(ids(healthy.findings, RAW_RULE));
        expect(healthy.report.problems).toEqual([]);
      }),
      { numRuns: Math.ceil(RUNS / 3) },
    );
  });

  it('a rule that throws: the other rules of the record still find, and the failure names the rule', async () => {
    const ruleSet = await ruleSetWithRawRule();
    const broken = (rule: ActiveRule): ActiveRule =>
      rule.metadata.ruleId !== SEED_RULE
        ? rule
        : {
            ...rule,
            compiled: Object.create(rule.compiled, {
              test: {
                value: () => {
                  throw new RangeError('defect');
                },
              },
            }) as ActiveRule['compiled'],
          };
    const withBroken: RuleSet = {
      ...ruleSet,
      bySource: new Map([...ruleSet.bySource].map(([source, rules]) => [source, rules.map(broken)])),
    };
    const event = auditEvent({ requestObject: cronJobBody(podSpec({ image: 'alpine' })) });
    const { findings, report } = run(withBroken, event, false);
    expect(findings.map((f) => f.RuleId)).toEqual([RAW_RULE]);
    expect(report.problems).toEqual([
      { where: 'event 3, record 0', message: `rule ${SEED_RULE} failed: defect` },
    ]);
  });
});
