import { describe, expect, it } from 'vitest';
import { loadRuleFiles } from '../../src/rules/load-rules.js';
import { buildRuleSet, type RuleSet } from '../../src/rules/rule-set.js';
import { aksRecord, auditEvent, cronJobBody } from '../helpers/audit.js';
import { activityRecord, FIXED_CLOCK, processBatch } from '../helpers/detector.js';
import { lintYaml } from '../helpers/rules.js';
import { REPO_ROOT } from '../helpers/shared.js';

async function ruleSetWith(exceptionsYaml: string): Promise<RuleSet> {
  const files = await loadRuleFiles([`${REPO_ROOT}/rules`]);
  const { ruleSet, files: reports } = buildRuleSet([
    ...files.filter((f) => !f.path.endsWith('exceptions.yml')),
    { path: 'test/exceptions.yml', text: exceptionsYaml },
  ]);
  const errors = reports.flatMap((r) => r.diagnostics);
  if (errors.length > 0) throw new Error(JSON.stringify(errors));
  return ruleSet;
}

const evilCronJob = (
  images: string[],
  username = 'system:serviceaccount:argocd:argocd-application-controller',
  namespace = 'apps',
) =>
  aksRecord(
    auditEvent({
      username,
      namespace,
      requestObject: cronJobBody({
        containers: images.map((image, i) => ({
          name: `c${i}`,
          image,
          securityContext: { privileged: true },
        })),
      }),
    }),
  );

function run(ruleSet: RuleSet, records: Record<string, unknown>[], now = FIXED_CLOCK) {
  return processBatch([{ body: { records }, origin: {} }], { ruleSet, clock: now, detectorVersion: 'test' });
}

const ARGO = `exceptions:
  - id: argocd-hooks
    reason: Argo CD sync hooks from the platform registry
    rules: [f4fc1f0e-ebc3-4f51-808e-2b12ba1883d8]
    principals: ['system:serviceaccount:argocd:*']
    images: ['contosoacr.azurecr.io/platform/*']
`;

describe('exceptions', () => {
  it('ships with documented examples and no active exception', async () => {
    const { ruleSet } = buildRuleSet(await loadRuleFiles([`${REPO_ROOT}/rules`]));
    expect(ruleSet.exceptions).toEqual([]);
  });

  it('suppresses a matching finding, counts it, and keeps it listable', async () => {
    const ruleSet = await ruleSetWith(ARGO);
    const result = run(ruleSet, [
      evilCronJob(['contosoacr.azurecr.io/platform/hook:1', 'CONTOSOACR.azurecr.io/platform/other:2']),
    ]);
    expect(result.findings).toEqual([]);
    expect(result.report).toMatchObject({
      suppressed: 1,
      suppressedByException: { 'argocd-hooks': 1 },
      findings: 0,
    });
    expect(result.suppressed[0]).toMatchObject({
      exceptionId: 'argocd-hooks',
      finding: { RuleId: 'f4fc1f0e-ebc3-4f51-808e-2b12ba1883d8' },
    });
  });

  it('counts an exception whose id names an Object member (constructor) like any other', async () => {
    const ruleSet = await ruleSetWith(ARGO.replace('argocd-hooks', 'constructor'));
    const result = run(ruleSet, [evilCronJob(['contosoacr.azurecr.io/platform/hook:1'])]);
    expect(Object.entries(result.report.suppressedByException)).toEqual([['constructor', 1]]);
  });

  it('requires every image to match: one trusted container does not excuse another', async () => {
    const ruleSet = await ruleSetWith(ARGO);
    expect(
      run(ruleSet, [evilCronJob(['contosoacr.azurecr.io/platform/hook:1', 'alpine:latest'])]).findings,
    ).toHaveLength(1);
  });

  it('does not apply to another principal, or when a criterion cannot be checked', async () => {
    const ruleSet = await ruleSetWith(ARGO);
    expect(
      run(ruleSet, [evilCronJob(['contosoacr.azurecr.io/platform/hook:1'], 'mallory@contoso.example')])
        .findings,
    ).toHaveLength(1);
    const noBody = aksRecord(auditEvent({ username: 'system:serviceaccount:argocd:x', level: 'Metadata' }));
    expect(run(ruleSet, [noBody]).suppressed).toEqual([]);
  });

  it('matches namespaces and clusters by glob, case-insensitively', async () => {
    const ruleSet = await ruleSetWith(`exceptions:
  - id: redteam
    reason: authorised red-team exercise in the assessment cluster
    clusters: ['aks-pay-*']
    namespaces: ['APPS']
`);
    expect(run(ruleSet, [evilCronJob(['alpine'])]).report.suppressed).toBe(1);
    expect(run(ruleSet, [evilCronJob(['alpine'], 'x', 'other')]).report.suppressed).toBe(0);
  });

  it('stops applying after its expiry date', async () => {
    const yaml = `exceptions:
  - id: timeboxed
    reason: authorised red-team exercise, time-boxed
    clusters: ['/subscriptions/*/managedclusters/aks-pay-01']
    expires: 2025-03-04
`;
    const ruleSet = await ruleSetWith(yaml);
    expect(
      run(ruleSet, [evilCronJob(['alpine'])], { now: () => new Date('2025-03-04T23:59:59Z') }).report
        .suppressed,
    ).toBe(1);
    expect(
      run(ruleSet, [evilCronJob(['alpine'])], { now: () => new Date('2025-03-05T00:00:00Z') }).findings,
    ).toHaveLength(1);
  });

  it('matches Activity Log callers by UPN or object id', async () => {
    const ruleSet = await ruleSetWith(`exceptions:
  - id: platform-admin
    reason: the platform team's break-glass account runs maintenance Jobs
    principals: ['c4d5e6f7-0819-4a2b-9c3d-4e5f6a7b8c9d']
`);
    expect(
      run(ruleSet, [activityRecord('MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/JOBS/WRITE')]).report
        .suppressed,
    ).toBe(1);
  });

  it('validates the file: an unknown key, a missing reason or a bad date is an error with its location', () => {
    const report = lintYaml(
      'exceptions:\n  - id: x\n    reason: long enough reason\n    namespace: [typo]\n  - id: y\n    clusters: [a]\n    expires: 2025-13-01\n',
      'rules/exceptions.yml',
    );
    expect(report.status).toBe('error');
    const messages = report.diagnostics.map((d) => `${d.location.yamlPath}: ${d.message}`).join('\n');
    expect(messages).toMatch(/exceptions\[0\]: must NOT have additional properties \("namespace"\)/);
    expect(messages).toMatch(/exceptions\[1\]: must have required property 'reason'/);
    expect(messages).toMatch(/exceptions\[1\]\.expires: must match pattern/);
  });

  it('rejects duplicate exception ids', () => {
    const text = 'exceptions:\n  - id: same\n    reason: a long enough reason\n    clusters: [a]\n';
    const { files } = buildRuleSet([
      { path: 'a/exceptions.yml', text },
      { path: 'b/exceptions.yml', text },
    ]);
    expect(files[1]?.status).toBe('error');
    expect(files[1]?.diagnostics[0]?.message).toMatch(/also used/);
  });

  it('applies only to the rules it names, whatever the case of their ids', async () => {
    const exception = (ruleId: string) => `exceptions:
  - id: argocd-hooks
    reason: Argo CD sync hooks from the platform registry
    rules: [${ruleId}]
    principals: ['system:serviceaccount:argocd:*']
`;
    const record = evilCronJob(['alpine']);
    const otherRule = await ruleSetWith(exception('1c71e254-6655-42c1-b2d6-5e4718d7fc0a'));
    expect(run(otherRule, [record]).findings.map((f) => f.RuleId)).toEqual([
      'f4fc1f0e-ebc3-4f51-808e-2b12ba1883d8',
    ]);
    const sameRule = await ruleSetWith(exception('F4FC1F0E-EBC3-4F51-808E-2B12BA1883D8'));
    expect(run(sameRule, [record]).report.suppressed).toBe(1);
  });

  it('never expires without a date, and expires when its date ends in UTC', async () => {
    const ruleSet = await ruleSetWith(`exceptions:
  - id: standing
    reason: the platform team's maintenance account
    principals: [ops@contoso.example]
  - id: timeboxed
    reason: authorised red-team exercise, time-boxed
    principals: [mallory@contoso.example]
    expires: 2025-03-04
`);
    expect(ruleSet.exceptions.map((e) => [e.id, e.expiresAt?.toISOString()])).toEqual([
      ['standing', undefined],
      ['timeboxed', '2025-03-05T00:00:00.000Z'],
    ]);
  });

  it('requires a match of any one of the globs a criterion lists', async () => {
    const ruleSet = await ruleSetWith(`exceptions:
  - id: two-namespaces
    reason: batch namespaces of the platform team
    namespaces: [kube-system, apps]
`);
    expect(run(ruleSet, [evilCronJob(['alpine'])]).report.suppressed).toBe(1);
  });

  it('does not apply by namespace to an Activity Log finding, which names no namespace', async () => {
    const ruleSet = await ruleSetWith(`exceptions:
  - id: every-namespace
    reason: a namespace criterion that matches any namespace
    namespaces: ['*']
`);
    const result = run(ruleSet, [
      activityRecord('MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/JOBS/WRITE'),
    ]);
    expect(result.findings.map((f) => [f.RuleId, f.Namespace])).toEqual([
      ['1c71e254-6655-42c1-b2d6-5e4718d7fc0a', null],
    ]);
  });

  it('does not apply to a finding in a cluster its globs do not name', async () => {
    const ruleSet = await ruleSetWith(`exceptions:
  - id: assessment-cluster
    reason: authorised red-team exercise in the assessment cluster
    clusters: ['aks-redteam-*', '/subscriptions/*/managedclusters/aks-redteam-*']
`);
    expect(run(ruleSet, [evilCronJob(['alpine'])]).findings).toHaveLength(1);
  });

  describe('trusts images only when every image is known', () => {
    const ANY_IMAGE = `exceptions:
  - id: any-image
    reason: an images criterion that trusts every image
    images: ['*']
`;

    it('trusts a body read in full whose images all match', async () => {
      const ruleSet = await ruleSetWith(ANY_IMAGE);
      expect(run(ruleSet, [evilCronJob(['alpine'])]).report.suppressed).toBe(1);
    });

    it('does not trust a body the API server dropped for size', async () => {
      const ruleSet = await ruleSetWith(ANY_IMAGE);
      const record = aksRecord(auditEvent({ requestObject: 'skipped-too-big-size-object' }));
      expect(run(ruleSet, [record]).findings).toHaveLength(1);
    });

    it('does not trust an Activity Log write, which names no image', async () => {
      const ruleSet = await ruleSetWith(ANY_IMAGE);
      const record = activityRecord('MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/CRONJOBS/WRITE');
      expect(run(ruleSet, [record]).findings).toHaveLength(1);
    });

    it('does not trust a JSON Patch with operations too deep to replay', async () => {
      const ruleSet = await ruleSetWith(ANY_IMAGE);
      const deep = `/metadata/annotations/${Array.from({ length: 70 }, (_, i) => `k${i}`).join('/')}`;
      const record = aksRecord(
        auditEvent({
          verb: 'patch',
          requestObject: [
            { op: 'add', path: deep, value: 'x' },
            {
              op: 'add',
              path: '/spec/jobTemplate/spec/template/spec/containers/0',
              value: { name: 'c', image: 'alpine', securityContext: { privileged: true } },
            },
          ],
        }),
      );
      expect(run(ruleSet, [record]).findings).toHaveLength(1);
    });

    it('does not trust a pod spec without containers', async () => {
      const ruleSet = await ruleSetWith(ANY_IMAGE);
      const record = aksRecord(
        auditEvent({ requestObject: cronJobBody({ hostNetwork: true, containers: [] }) }),
      );
      expect(run(ruleSet, [record]).findings).toHaveLength(1);
    });
  });
});
