import { describe, expect, it } from 'vitest';
import { auditEvent, cronJobBody, podSpec } from '../helpers/audit.js';
import { activityRecord } from '../helpers/detector.js';
import {
  ACTIVITY,
  activityBody,
  activityRecordOn,
  aksBody,
  KUBE_AUDIT,
  RULED_OUT,
  ruleSetOf,
  verdict,
} from './verdicts.js';

/**
 * More of what a rule's values require of a body: the text around wildcards, values of unequal
 * length, lists of selections, patterns and derived fields, which require nothing literal.
 */

const rule = (title: string, detection: string) => ruleSetOf({ title, detection, logsource: ACTIVITY });
const RG = '/SUBSCRIPTIONS/3F2A9C10/RESOURCEGROUPS/RG-PAY/PROVIDERS';

describe('values of unequal length', () => {
  /** Its values share `write`; the CronJob one has two more parts, the Deployment one a single. */
  const ruleSet = rule(
    'batch or deployment write',
    "sel:\n    operationName|endswith:\n        - '/BATCH/CRONJOBS/WRITE'\n        - '/DEPLOYMENTS/WRITE'\ncondition: sel",
  );
  const cluster = `${RG}/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/AKS1`;

  it('requires every part of the longer value or the shorter one', () => {
    // `cronjobs` and `write`, but neither `batch` nor `deployments`.
    const noBatch = activityRecordOn('MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/CRONJOBS/WRITE', cluster);
    expect(verdict(ruleSet, activityBody(noBatch))).toEqual(RULED_OUT);
  });

  it('lets through either value', () => {
    for (const operation of [
      'MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/CRONJOBS/WRITE',
      'MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/APPS/DEPLOYMENTS/WRITE',
    ])
      expect(verdict(ruleSet, activityBody(activityRecordOn(operation, cluster))), operation).toEqual({
        passes: true,
        findings: ['batch or deployment write'],
      });
  });
});

describe('the text around a wildcard', () => {
  const ruleSet = rule(
    'vault write',
    "sel:\n    operationName: 'MICROSOFT.KEYVAULT/VAULTS/*/WRITE'\ncondition: sel",
  );
  const vault = `${RG}/MICROSOFT.KEYVAULT/VAULTS/KV1`;

  it('is required, the wildcard itself not', () => {
    expect(
      verdict(ruleSet, activityBody(activityRecordOn('MICROSOFT.KEYVAULT/VAULTS/SECRETS/WRITE', vault))),
    ).toEqual({
      passes: true,
      findings: ['vault write'],
    });
    expect(
      verdict(ruleSet, activityBody(activityRecordOn('MICROSOFT.KEYVAULT/VAULTS/SECRETS/READ', vault))),
    ).toEqual(RULED_OUT);
  });
});

describe('selections that are lists of alternatives', () => {
  const ruleSet = rule(
    'vault or vm delete',
    "sel:\n    - operationName: 'MICROSOFT.KEYVAULT/VAULTS/DELETE'\n    - operationName: 'MICROSOFT.COMPUTE/VIRTUALMACHINES/DELETE'\ncondition: sel",
  );

  it('require one literal of either alternative', () => {
    expect(ruleSet.prefilter.enabled).toBe(true);
    const storage = activityRecordOn(
      'MICROSOFT.STORAGE/STORAGEACCOUNTS/WRITE',
      `${RG}/MICROSOFT.STORAGE/STORAGEACCOUNTS/SA1`,
    );
    expect(verdict(ruleSet, activityBody(storage))).toEqual(RULED_OUT);
    const vm = activityRecordOn(
      'MICROSOFT.COMPUTE/VIRTUALMACHINES/DELETE',
      `${RG}/MICROSOFT.COMPUTE/VIRTUALMACHINES/VM1`,
    );
    expect(verdict(ruleSet, activityBody(vm))).toEqual({ passes: true, findings: ['vault or vm delete'] });
  });

  it('`all of` a pattern requires the selections it names, not the others', () => {
    const named = rule(
      'vault by guest',
      "sel_vault:\n    operationName|startswith: 'MICROSOFT.KEYVAULT/VAULTS/SECRETS'\nsel_role:\n    identity.authorization.evidence.role: 'Guest Inviter'\nfilter:\n    resultType: Failure\ncondition: all of sel_* and not filter",
    );
    const vault = `${RG}/MICROSOFT.KEYVAULT/VAULTS/KV1`;
    const read = activityRecordOn('MICROSOFT.KEYVAULT/VAULTS/SECRETS/READ', vault, {
      identity: {
        authorization: { scope: vault, action: 'x', evidence: { role: 'Guest Inviter' } },
        claims: {},
      },
    });
    expect(verdict(named, activityBody(read))).toEqual({ passes: true, findings: ['vault by guest'] });
  });
});

describe('what a value cannot require', () => {
  it('requires nothing of a pattern: the body need not spell it', () => {
    const ruleSet = rule(
      'cronjob write by pattern',
      "sel:\n    operationName|re: '/CRONJOBS/WR[I]TE$'\n    resourceId|contains: '/MANAGEDCLUSTERS/'\ncondition: sel",
    );
    const write = activityRecord('MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/CRONJOBS/WRITE');
    expect(verdict(ruleSet, activityBody(write))).toEqual({
      passes: true,
      findings: ['cronjob write by pattern'],
    });
    const vm = activityRecordOn(
      'MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE',
      `${RG}/MICROSOFT.COMPUTE/VIRTUALMACHINES/VM1`,
    );
    expect(verdict(ruleSet, activityBody(vm))).toEqual(RULED_OUT);
  });

  it('requires nothing of text outside ASCII, and the rule is then left to full matching', () => {
    expect(
      rule('tokyo', "sel:\n    properties.message|contains: '東京'\ncondition: sel").prefilter.enabled,
    ).toBe(false);
    expect(
      rule(
        'all tokyo',
        "sel:\n    properties.message|contains|all:\n        - '東京'\n        - '大阪'\ncondition: sel",
      ).prefilter.enabled,
    ).toBe(false);
  });

  it('requires nothing of a derived field, which the body does not spell', () => {
    // `command` joins the container's arguments with spaces; the body holds them as a list.
    const ruleSet = ruleSetOf({
      title: 'shell cronjob',
      detection:
        "sel:\n    verb: create\n    objectRef.resource: cronjobs\n    command|contains: 'sh -c'\ncondition: sel",
      logsource: KUBE_AUDIT,
    });
    const shell = auditEvent({
      requestObject: cronJobBody(podSpec({ image: 'alpine', command: ['sh', '-c', 'id'] })),
    });
    expect(verdict(ruleSet, aksBody(shell))).toEqual({ passes: true, findings: ['shell cronjob'] });
  });
});
