import { describe, expect, it } from 'vitest';
import { auditEvent } from '../helpers/audit.js';
import { aksBody, KUBE_AUDIT, RULED_OUT, ruleSetOf, verdict } from './verdicts.js';

/**
 * The field every rule needs is read first, and the regions it leaves are read field by field: a
 * spelling the scan cannot read outside those regions, or in a field read after one that already
 * rules the event out, must not stop the prefilter from ruling the body out.
 */

const rule = (title: string, detection: string) => ({ title, detection, logsource: KUBE_AUDIT });
const lease = auditEvent({ verb: 'update', resource: 'leases' });
const spaced = (body: string, key: string) => {
  const out = body.replace(`\\"${key}\\":`, `\\"${key}\\" :`);
  expect(out).not.toBe(body);
  return out;
};

describe('a resource named by a pattern (no literal anchors the search)', () => {
  const ruleSet = ruleSetOf(
    rule('secret deleted', "sel:\n    objectRef.resource|re: '^secrets?$'\n    verb: delete\ncondition: sel"),
  );

  it('rules out a read of a secret after a lease renewal whose verb key is spaced', () => {
    expect(
      verdict(ruleSet, spaced(aksBody(lease, auditEvent({ verb: 'get', resource: 'secrets' })), 'verb')),
    ).toEqual(RULED_OUT);
  });
});

describe('a region ruled out by the field read first', () => {
  const ruleSet = ruleSetOf(
    rule(
      'secret deleted',
      "sel:\n    verb: delete\n    objectRef.resource: secrets\nsystem:\n    user.username|startswith: 'system:'\ncondition: sel and not system",
    ),
  );

  it('rules out a read of a secret whose caller key is spaced', () => {
    const read = aksBody(auditEvent({ verb: 'get', resource: 'secrets' }), lease);
    expect(verdict(ruleSet, spaced(read, 'username'))).toEqual(RULED_OUT);
  });
});

describe('an anchor spelt with a character that folds into it', () => {
  const ruleSet = ruleSetOf(
    rule(
      'network policy deleted',
      "sel:\n    objectRef.resource: networkpolicies\n    verb: delete\nsystem:\n    user.username|startswith: 'system:'\ncondition: sel and not system",
    ),
  );

  it('finds a deletion whose resource holds the Kelvin sign for its `k`', () => {
    const deletion = auditEvent({ verb: 'delete', resource: 'networ\u212apolicies' });
    expect(verdict(ruleSet, aksBody(lease, deletion))).toEqual({
      passes: true,
      findings: ['network policy deleted'],
    });
  });
});

describe('a list of values searched within one embedded event', () => {
  const ruleSet = ruleSetOf(
    rule(
      'backdoor in a system namespace',
      'sel:\n    objectRef.namespace:\n        - kube-system\n        - kube-public\n    objectRef.name|startswith: backdoor\ncondition: sel',
    ),
  );
  const create = (namespace: string, name: string) =>
    auditEvent({ verb: 'create', resource: 'configmaps', namespace, name });

  it('finds the event in either namespace', () => {
    expect(verdict(ruleSet, aksBody(lease, create('kube-public', 'backdoor-cm')))).toEqual({
      passes: true,
      findings: ['backdoor in a system namespace'],
    });
  });

  it('rules out events that hold a namespace and the name apart', () => {
    expect(
      verdict(ruleSet, aksBody(create('kube-public', 'coredns'), create('default', 'backdoor-cm'))),
    ).toEqual(RULED_OUT);
  });
});
