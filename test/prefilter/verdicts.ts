import { expect } from 'vitest';
import { buildRuleSet, type RuleSet } from '../../src/rules/rule-set.js';
import { aksRecord, auditEvent } from '../helpers/audit.js';
import { activityRecord, FIXED_CLOCK, processBatch } from '../helpers/detector.js';
import { ruleYaml } from '../helpers/rules.js';

export const KUBE_AUDIT = 'product: kubernetes\n    service: audit';
export const ACTIVITY = 'product: azure\n    service: activitylogs';

/** One Sigma rule: its detection block (YAML, as under `detection:`) and its logsource. */
export interface TestRule {
  readonly title: string;
  readonly detection: string;
  readonly logsource: string;
}

/** A rule set of exactly these rules, each under its own id and title; the build must report no error. */
export function ruleSetOf(...rules: readonly TestRule[]): RuleSet {
  const { ruleSet, files } = buildRuleSet(
    rules.map((rule, i) => ({
      path: `test/rule-${i}.yml`,
      text: ruleYaml(rule.detection, rule.logsource)
        .replace('title: test rule', `title: ${rule.title}`)
        .replace(
          '9a0f1a52-8d47-4b2e-9a6f-0c1d2e3f4a5b',
          `9a0f1a52-8d47-4b2e-9a6f-0c1d2e3f4a${(0x10 + i).toString(16)}`,
        ),
    })),
  );
  expect(files.filter((f) => f.status === 'error')).toEqual([]);
  return ruleSet;
}

/** The bundled Activity Log rule: CronJob and Job writes on a managed or a connected cluster. */
export const BATCH_WRITE: TestRule = {
  title: 'cronjob write',
  detection: `selection:
    operationName|startswith:
        - 'MICROSOFT.KUBERNETES/CONNECTEDCLUSTERS/BATCH'
        - 'MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH'
    operationName|endswith:
        - '/CRONJOBS/WRITE'
        - '/JOBS/WRITE'
condition: selection`,
  logsource: ACTIVITY,
};

/** A rule on audit fields the field scan does not read: only its literals decide. */
export const BACKDOOR: TestRule = {
  title: 'backdoor in kube-system',
  detection:
    "sel:\n    objectRef.namespace: 'kube-system'\n    objectRef.name|startswith: 'backdoor'\ncondition: sel",
  logsource: KUBE_AUDIT,
};
/** Routine in kube-system: it names the namespace, not the backdoor. */
export const corednsUpdate = auditEvent({
  verb: 'update',
  resource: 'configmaps',
  namespace: 'kube-system',
  name: 'coredns',
});
/** A service account named like a backdoor, created in `namespace`. */
export const backdoorCreate = (namespace: string) =>
  auditEvent({ verb: 'create', resource: 'serviceaccounts', namespace, name: 'backdoor-sa' });

/** Two audit rules with no scanned field in common. */
export const CRONJOB_CREATE: TestRule = {
  title: 'cronjob created',
  detection: 'sel:\n    verb: create\n    objectRef.resource: cronjobs\ncondition: sel',
  logsource: KUBE_AUDIT,
};
export const ANONYMOUS: TestRule = {
  title: 'anonymous',
  detection: "sel:\n    user.username: 'system:anonymous'\ncondition: sel",
  logsource: KUBE_AUDIT,
};

/** An Event Hub body of AKS kube-audit records, each embedding its audit Event as the export does. */
export function aksBody(...events: readonly Record<string, unknown>[]): string {
  return JSON.stringify({ records: events.map((event) => aksRecord(event, { category: 'kube-audit' })) });
}

/** An Event Hub body of Activity Log records. */
export function activityBody(...records: readonly Record<string, unknown>[]): string {
  return JSON.stringify({ records });
}

/**
 * What the prefilter says of a body (the same whether it arrives as bytes or as a string), and
 * which rules full matching finds in it. The findings must not depend on the prefilter: it may
 * only rule out what no rule matches.
 */
export function verdict(ruleSet: RuleSet, body: string): { passes: boolean; findings: string[] } {
  const passes = ruleSet.prefilter.mayMatchBody(Buffer.from(body));
  expect(ruleSet.prefilter.mayMatchBody(body), 'the body as a string').toBe(passes);
  const input = [{ body: Buffer.from(body), origin: { event: 0 } }];
  const deps = { ruleSet, clock: FIXED_CLOCK, detectorVersion: 'test' };
  const titles = (on: boolean) =>
    processBatch(input, { ...deps, prefilter: on })
      .findings.map((f) => f.RuleTitle)
      .sort();
  const findings = titles(false);
  expect(titles(true), 'findings with the prefilter on').toEqual(findings);
  return { passes, findings };
}

/** An Activity Log record of `operation` on `resourceId`, its caller's scope the same resource. */
export function activityRecordOn(
  operation: string,
  resourceId: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return activityRecord(operation, {
    resourceId,
    resultSignature: 'Succeeded.OK',
    identity: { authorization: { scope: resourceId.toLowerCase(), action: operation }, claims: {} },
    ...overrides,
  });
}

/** The messages of the problems a batch of this one body reports, with the prefilter on. */
export function reportedProblems(ruleSet: RuleSet, body: string | Buffer): string[] {
  const input = [{ body: typeof body === 'string' ? Buffer.from(body) : body, origin: { event: 0 } }];
  const result = processBatch(input, { ruleSet, clock: FIXED_CLOCK, detectorVersion: 'test' });
  return result.report.problems.map((p) => p.message);
}

/** Ruled out: the prefilter says no, and full matching agrees. */
export const RULED_OUT = { passes: false, findings: [] };
