import { describe, expect, it } from 'vitest';
import { auditEvent } from '../helpers/audit.js';
import { activityRecord } from '../helpers/detector.js';
import { ACTIVITY, activityBody, aksBody, KUBE_AUDIT, RULED_OUT, ruleSetOf, verdict } from './verdicts.js';

/**
 * Rules of both sources that need the same literal: the search one source's rules make answers
 * the other's, and must answer it right for every body of either source.
 */

/** Secrets deleted in a cluster, and secrets read or written through Azure: both need `secrets`. */
const ruleSet = ruleSetOf(
  {
    title: 'secret deleted',
    detection: 'sel:\n    verb: delete\n    objectRef.resource: secrets\ncondition: sel',
    logsource: KUBE_AUDIT,
  },
  {
    title: 'vault secret operation',
    detection: "sel:\n    operationName|contains: '/SECRETS/'\ncondition: sel",
    logsource: ACTIVITY,
  },
  {
    title: 'cronjob write',
    detection: "sel:\n    operationName|endswith: '/CRONJOBS/WRITE'\ncondition: sel",
    logsource: ACTIVITY,
  },
);

describe('a literal two sources need', () => {
  it('rules out a body of cluster events that lacks it, for both sources', () => {
    const body = aksBody(
      auditEvent({ verb: 'update', resource: 'leases' }),
      auditEvent({ verb: 'delete', resource: 'pods' }),
    );
    expect(verdict(ruleSet, body)).toEqual(RULED_OUT);
  });

  it('lets through an Activity Log record another rule matches, though the first search found no `secrets`', () => {
    const write = activityRecord('MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/CRONJOBS/WRITE');
    expect(verdict(ruleSet, activityBody(write))).toEqual({ passes: true, findings: ['cronjob write'] });
  });

  it('lets through either source where it stands', () => {
    expect(verdict(ruleSet, activityBody(activityRecord('MICROSOFT.KEYVAULT/VAULTS/SECRETS/READ')))).toEqual({
      passes: true,
      findings: ['vault secret operation'],
    });
    expect(verdict(ruleSet, aksBody(auditEvent({ verb: 'delete', resource: 'secrets' })))).toEqual({
      passes: true,
      findings: ['secret deleted'],
    });
  });
});
