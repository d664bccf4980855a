import { describe, expect, it } from 'vitest';
import { activityRecord } from '../helpers/detector.js';
import {
  ACTIVITY,
  activityBody,
  activityRecordOn,
  BATCH_WRITE,
  RULED_OUT,
  ruleSetOf,
  verdict,
} from './verdicts.js';

/**
 * The literals a rule's values make a body hold: each value's text in runs the raw JSON spells as
 * written, any of a list of values, all of them with `|all`, in any case. A body lacking them is
 * ruled out; a body a rule matches never is.
 */

const rule = (title: string, detection: string) => ruleSetOf({ title, detection, logsource: ACTIVITY });
const CLUSTER =
  '/SUBSCRIPTIONS/3F2A9C10/RESOURCEGROUPS/RG-PAY/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS';

describe('values with common and distinct parts', () => {
  /** The bundled rule's operations: `batch` and `write` in all, the provider and `jobs` in one of each. */
  const ruleSet = ruleSetOf(BATCH_WRITE);

  it.each([
    [
      'an Azure Batch job write (no Kubernetes provider)',
      'MICROSOFT.BATCH/BATCHACCOUNTS/JOBS/WRITE',
      '/SUBSCRIPTIONS/3F2A9C10/RESOURCEGROUPS/RG-PAY/PROVIDERS/MICROSOFT.BATCH/BATCHACCOUNTS/NIGHTLY',
    ],
    [
      'a write of another batch resource (no `jobs`)',
      'MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/PODTEMPLATES/WRITE',
      `${CLUSTER}/AKS-PAY-01`,
    ],
    [
      'a Kubernetes write outside the batch group',
      'MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/APPS/DEPLOYMENTS/WRITE',
      `${CLUSTER}/AKS-PAY-01`,
    ],
  ])('rules out %s', (_, operation, resourceId) => {
    expect(verdict(ruleSet, activityBody(activityRecordOn(operation, resourceId)))).toEqual(RULED_OUT);
  });

  it('lets through each operation the rule names, in any case', () => {
    for (const operation of [
      'Microsoft.Kubernetes/connectedClusters/batch/cronjobs/write',
      'MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/JOBS/WRITE',
    ])
      expect(verdict(ruleSet, activityBody(activityRecord(operation))), operation).toEqual({
        passes: true,
        findings: ['cronjob write'],
      });
  });
});

describe('values that must all occur (`|all`)', () => {
  const ruleSet = rule(
    'cronjob by pipeline',
    "sel:\n    operationName|contains|all:\n        - '/BATCH/'\n        - '/CRONJOBS/'\n        - '/WRITE'\ncondition: sel",
  );

  it('rules out a body holding some of them', () => {
    const jobs = activityRecord('MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/JOBS/WRITE');
    const read = activityRecord('MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/CRONJOBS/READ');
    expect(verdict(ruleSet, activityBody(jobs))).toEqual(RULED_OUT);
    expect(verdict(ruleSet, activityBody({ ...read, resultSignature: 'Succeeded.OK' }))).toEqual(RULED_OUT);
  });

  it('lets through the body holding all', () => {
    const write = activityRecord('MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/CRONJOBS/WRITE');
    expect(verdict(ruleSet, activityBody(write))).toEqual({
      passes: true,
      findings: ['cronjob by pipeline'],
    });
  });

  it('requires nothing of a value too short to search, but still the others', () => {
    const short = rule(
      'short all',
      "sel:\n    operationName|contains|all:\n        - '/AB'\n        - 'CRONJOBS'\ncondition: sel",
    );
    expect(short.prefilter.enabled).toBe(true);
    expect(verdict(short, activityBody(activityRecord('MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE')))).toEqual(
      RULED_OUT,
    );
    const match = activityRecord('MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/AB/CRONJOBS/WRITE');
    expect(verdict(short, activityBody(match))).toEqual({ passes: true, findings: ['short all'] });
  });
});

describe('the length and the characters of a literal', () => {
  it('searches a three-character literal', () => {
    const ruleSet = rule('aks cluster', "sel:\n    resourceId|endswith: '/AKS'\ncondition: sel");
    expect(ruleSet.prefilter.enabled).toBe(true);
    const other = activityRecordOn('MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/WRITE', `${CLUSTER}/PROD-01`);
    expect(verdict(ruleSet, activityBody(other))).toEqual(RULED_OUT);
    const aks = activityRecordOn('MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/WRITE', `${CLUSTER}/AKS`);
    expect(verdict(ruleSet, activityBody(aks))).toEqual({ passes: true, findings: ['aks cluster'] });
  });

  it('does not search a two-character one: the rule is left to full matching', () => {
    expect(rule('short', "sel:\n    resourceId|endswith: '/PR'\ncondition: sel").prefilter.enabled).toBe(
      false,
    );
  });

  it('does not search text a number may spell otherwise, and reads every body then', () => {
    // `4.04e2` in the body is read as 404; `1e400` as Infinity.
    for (const value of ['404', '4.04E2', 'Infinity', 'INF'])
      expect(
        rule('number', `sel:\n    durationMs: '${value}'\ncondition: sel`).prefilter.enabled,
        value,
      ).toBe(false);
    const body = activityBody(activityRecord('MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE')).replace(
      /"resultType":"Success"/,
      '"resultType":"Success","durationMs":4.04e2',
    );
    const ruleSet = rule(
      'slow write',
      "sel:\n    durationMs: '404'\n    operationName|endswith: '/WRITE'\ncondition: sel",
    );
    expect(verdict(ruleSet, body)).toEqual({ passes: true, findings: ['slow write'] });
  });

  it('splits a value at characters JSON may escape, and searches the runs between', () => {
    // `/` may be written `\/`, a quote always escaped: neither is searched, the text around them is.
    const ruleSet = rule(
      'quoted',
      'sel:\n    properties.message|contains: \'policy "deny-all" applied\'\ncondition: sel',
    );
    const record = (message: string) =>
      activityRecord('MICROSOFT.AUTHORIZATION/POLICIES/AUDIT/ACTION', { properties: { message } });
    expect(verdict(ruleSet, activityBody(record('policy "deny-all" applied')))).toEqual({
      passes: true,
      findings: ['quoted'],
    });
    expect(verdict(ruleSet, activityBody(record('policy "allow-all" applied')))).toEqual(RULED_OUT);
  });

  it('splits a `windash` value at every dash and slash it stands for', () => {
    const ruleSet = rule(
      'bypass',
      "sel:\n    properties.message|windash|contains: ' -ExecutionPolicy Bypass'\ncondition: sel",
    );
    expect(ruleSet.prefilter.enabled).toBe(true);
    const record = (message: string) =>
      activityRecord('MICROSOFT.COMPUTE/VIRTUALMACHINES/RUNCOMMAND/ACTION', { properties: { message } });
    expect(verdict(ruleSet, activityBody(record('powershell /ExecutionPolicy Bypass -File x.ps1')))).toEqual({
      passes: true,
      findings: ['bypass'],
    });
    expect(verdict(ruleSet, activityBody(record('powershell -File x.ps1')))).toEqual(RULED_OUT);
  });
});

describe('what a rule cannot require', () => {
  it('requires nothing of a derived field or of what must be absent, and is then off', () => {
    // `not`: nothing can be required of what must be absent.
    expect(
      rule(
        'not',
        "sel:\n    operationName|endswith: '/WRITE'\nfilter:\n    resultType: Success\ncondition: not filter",
      ).prefilter.enabled,
    ).toBe(false);
    // A value that is a number, not text.
    expect(rule('number', 'sel:\n    durationMs: 404\ncondition: sel').prefilter.enabled).toBe(false);
  });

  it('requires the literals of the selection it must hold, beside a `not`', () => {
    const ruleSet = rule(
      'failed write',
      "sel:\n    operationName|endswith: '/CRONJOBS/WRITE'\nfilter:\n    resultType: Success\ncondition: sel and not filter",
    );
    expect(ruleSet.prefilter.enabled).toBe(true);
    expect(verdict(ruleSet, activityBody(activityRecord('MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE')))).toEqual(
      RULED_OUT,
    );
    const failed = activityRecord('MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/CRONJOBS/WRITE', {
      resultType: 'Failure',
    });
    expect(verdict(ruleSet, activityBody(failed))).toEqual({ passes: true, findings: ['failed write'] });
  });

  it('requires, of `1 of` and of `or`, a literal that stands for either side', () => {
    for (const condition of ['1 of sel_*', 'sel_vault or sel_keys']) {
      const ruleSet = rule(
        'vault',
        `sel_vault:\n    operationName|startswith: 'MICROSOFT.KEYVAULT/VAULTS/SECRETS'\nsel_keys:\n    operationName|startswith: 'MICROSOFT.KEYVAULT/VAULTS/KEYS'\ncondition: ${condition}`,
      );
      expect(ruleSet.prefilter.enabled, condition).toBe(true);
      const vm = activityRecordOn(
        'MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE',
        '/SUBSCRIPTIONS/3F2A9C10/RESOURCEGROUPS/RG-PAY/PROVIDERS/MICROSOFT.COMPUTE/VIRTUALMACHINES/VM1',
      );
      expect(verdict(ruleSet, activityBody(vm)), condition).toEqual(RULED_OUT);
      for (const operation of [
        'MICROSOFT.KEYVAULT/VAULTS/SECRETS/READ',
        'MICROSOFT.KEYVAULT/VAULTS/KEYS/READ',
      ])
        expect(
          verdict(ruleSet, activityBody(activityRecord(operation))),
          `${condition}: ${operation}`,
        ).toEqual({
          passes: true,
          findings: ['vault'],
        });
    }
  });

  it('requires, of `all of` and of `and`, every side', () => {
    for (const condition of ['all of sel_*', 'sel_vault and sel_role']) {
      const ruleSet = rule(
        'vault by guest',
        `sel_vault:\n    operationName|startswith: 'MICROSOFT.KEYVAULT/VAULTS/SECRETS'\nsel_role:\n    identity.authorization.evidence.role: 'Guest Inviter'\ncondition: ${condition}`,
      );
      const vault = '/SUBSCRIPTIONS/3F2A9C10/RESOURCEGROUPS/RG-PAY/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV1';
      const as = (role: string) =>
        activityRecordOn('MICROSOFT.KEYVAULT/VAULTS/SECRETS/READ', vault, {
          identity: { authorization: { scope: vault, action: 'x', evidence: { role } }, claims: {} },
        });
      expect(verdict(ruleSet, activityBody(as('Owner'))), condition).toEqual(RULED_OUT);
      expect(verdict(ruleSet, activityBody(as('Guest Inviter'))), condition).toEqual({
        passes: true,
        findings: ['vault by guest'],
      });
    }
  });
});
