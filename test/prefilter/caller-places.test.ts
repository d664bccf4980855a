import { describe, expect, it } from 'vitest';
import { aksRecord, auditEvent, cronJobBody, podSpec } from '../helpers/audit.js';
import { bundledRuleSet } from '../helpers/detector.js';
import { aksBody, ANONYMOUS, CRONJOB_CREATE, KUBE_AUDIT, RULED_OUT, ruleSetOf, verdict } from './verdicts.js';

/**
 * Where a caller's name stands decides whether the scan may take it for the event's caller: only
 * `user.username` as the API server writes it is, and only within the event's own string.
 */

const FLAGGED = 'Suspicious Kubernetes CronJob or Job Written';

/** A CronJob write the bundled rule flags, without a `user`: no caller, so no system principal. */
function callerless(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { user: _user, ...event } = auditEvent({
    requestObject: cronJobBody(podSpec({ image: 'alpine:3.20', command: ['sh'] })),
  });
  return { ...event, ...extra };
}

describe('a system principal named elsewhere than the caller', () => {
  it('does not excuse a caller-less write whose request holds a dotted `user.username` key', async () => {
    const event = callerless({
      requestObject: {
        ...cronJobBody(podSpec({ image: 'alpine:3.20', command: ['sh'] })),
        metadata: { name: 'evil', annotations: { 'user.username': 'system:node:aks-nodepool1-0' } },
      },
    });
    expect(verdict(await bundledRuleSet(), aksBody(event))).toEqual({ passes: true, findings: [FLAGGED] });
  });

  it('does not excuse a caller-less write followed by a record whose text names a system caller', async () => {
    const other = {
      category: 'kube-audit',
      properties: { message: JSON.stringify({ user: { username: 'system:node:aks-nodepool1-0' } }) },
    };
    const body = JSON.stringify({ records: [aksRecord(callerless(), { category: 'kube-audit' }), other] });
    expect(verdict(await bundledRuleSet(), body)).toEqual({ passes: true, findings: [FLAGGED] });
  });
});

describe('dotted keys in a request', () => {
  /** Secrets deleted by anyone but the system; its caller is read by the scan. */
  const ruleSet = ruleSetOf({
    title: 'secret deleted',
    detection:
      "sel:\n    verb: delete\n    objectRef.resource: secrets\nsystem:\n    user.username|startswith: 'system:'\ncondition: sel and not system",
    logsource: KUBE_AUDIT,
  });

  it("reads a dotted key ending in a scanned field as that field, and still rules out the system's deletion", () => {
    const read = auditEvent({
      verb: 'delete',
      resource: 'secrets',
      username: 'system:serviceaccount:kube-system:namespace-controller',
      responseObject: { kind: 'Secret', data: { 'claims.username': 'ZW1haWw=' } },
    });
    expect(verdict(ruleSet, aksBody(read))).toEqual(RULED_OUT);
  });
});

describe('rules with no field in common, and a spelling the scan cannot read', () => {
  const ruleSet = ruleSetOf(CRONJOB_CREATE, ANONYMOUS);

  it('finds the anonymous request whose caller key is spaced', () => {
    const lease = auditEvent({ verb: 'update', resource: 'leases' });
    const anonymous = auditEvent({ verb: 'get', resource: 'secrets', username: 'system:anonymous' });
    const body = aksBody(lease, anonymous).replace(
      '\\"username\\":\\"system:anonymous',
      '\\"username\\" :\\"system:anonymous',
    );
    expect(body).toContain('\\"username\\" :');
    expect(verdict(ruleSet, body)).toEqual({ passes: true, findings: ['anonymous'] });
  });
});
