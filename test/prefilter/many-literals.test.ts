import { describe, expect, it } from 'vitest';
import { auditEvent, cronJobBody, podSpec } from '../helpers/audit.js';
import { bundledRuleSet } from '../helpers/detector.js';
import {
  ACTIVITY,
  activityBody,
  activityRecordOn,
  aksBody,
  RULED_OUT,
  ruleSetOf,
  verdict,
} from './verdicts.js';

/**
 * A clause of many literals (any of several values) is searched in one pass; an attack whose
 * event the scan cannot read in full is still let through.
 */

const RG = '/SUBSCRIPTIONS/3F2A9C10/RESOURCEGROUPS/RG-PAY/PROVIDERS';
const VAULT = `${RG}/MICROSOFT.KEYVAULT/VAULTS/KV1`;

describe('a clause of several literals', () => {
  const ruleSet = ruleSetOf({
    title: 'vault item read',
    detection:
      "sel:\n    operationName|startswith: 'MICROSOFT.KEYVAULT/VAULTS/'\n    operationName|endswith:\n        - '/SECRETS/READ'\n        - '/KEYS/READ'\n        - '/CERTIFICATES/READ'\ncondition: sel",
    logsource: ACTIVITY,
  });

  it.each(['SECRETS', 'KEYS', 'CERTIFICATES'])('lets through a read of %s, in any case', (item) => {
    for (const operation of [
      `MICROSOFT.KEYVAULT/VAULTS/${item}/READ`,
      `Microsoft.KeyVault/vaults/${item.toLowerCase()}/read`,
    ])
      expect(verdict(ruleSet, activityBody(activityRecordOn(operation, VAULT))), operation).toEqual({
        passes: true,
        findings: ['vault item read'],
      });
  });

  it('rules out a read of the vault itself, and a write of an item', () => {
    expect(verdict(ruleSet, activityBody(activityRecordOn('MICROSOFT.KEYVAULT/VAULTS/READ', VAULT)))).toEqual(
      RULED_OUT,
    );
    expect(
      verdict(ruleSet, activityBody(activityRecordOn('MICROSOFT.KEYVAULT/VAULTS/SECRETS/WRITE', VAULT))),
    ).toEqual(RULED_OUT);
  });
});

describe('an attack the field scan cannot read in full', () => {
  const attack = auditEvent({
    requestObject: cronJobBody(podSpec({ image: 'alpine:3.20', command: ['sh'] })),
  });
  const lease = auditEvent({ verb: 'update', resource: 'leases' });

  it.each([
    ['its verb key spaced', '\\"verb\\":\\"create\\"', '\\"verb\\" :\\"create\\"'],
    ['its caller key spaced', '\\"username\\":\\"mallory', '\\"username\\" : \\"mallory'],
  ])('is let through with %s', async (_, from, to) => {
    const body = aksBody(lease, attack);
    expect(body).toContain(from);
    expect(verdict(await bundledRuleSet(), body.replace(from, to))).toEqual({
      passes: true,
      findings: ['Suspicious Kubernetes CronJob or Job Written'],
    });
  });
});
