import { describe, expect, it } from 'vitest';
import { aksRecord, auditEvent } from '../helpers/audit.js';
import { aksBody, KUBE_AUDIT, RULED_OUT, ruleSetOf, verdict } from './verdicts.js';

/**
 * Spellings the field scan cannot read (a key spaced from its colon) and events written as JSON
 * objects rather than strings: the prefilter must let through every body where a rule may match
 * them, whichever way it searches the body.
 */

/** Deleting secrets, the resource named by a pattern: no literal anchors the search. */
const ruleSet = ruleSetOf({
  title: 'secret deleted',
  detection: "sel:\n    objectRef.resource|re: '^secrets?$'\n    verb: delete\ncondition: sel",
  logsource: KUBE_AUDIT,
});
const lease = auditEvent({ verb: 'update', resource: 'leases' });
const deletion = auditEvent({ verb: 'delete', resource: 'secrets' });

describe('a key the scan cannot read', () => {
  it('still rules out what it can read', () => {
    expect(verdict(ruleSet, aksBody(lease, auditEvent({ verb: 'get', resource: 'secrets' })))).toEqual(
      RULED_OUT,
    );
    expect(verdict(ruleSet, aksBody(lease, deletion))).toEqual({
      passes: true,
      findings: ['secret deleted'],
    });
  });

  it('finds the deletion whose resource key is spaced', () => {
    const body = aksBody(lease, deletion).replace(
      '\\"resource\\":\\"secrets\\"',
      '\\"resource\\" :\\"secrets\\"',
    );
    expect(body).toContain('\\"resource\\" :');
    expect(verdict(ruleSet, body)).toEqual({ passes: true, findings: ['secret deleted'] });
  });

  it('finds the deletion whose verb key is spaced', () => {
    const body = aksBody(lease, deletion).replace('\\"verb\\":\\"delete\\"', '\\"verb\\" : \\"delete\\"');
    expect(body).toContain('\\"verb\\" :');
    expect(verdict(ruleSet, body)).toEqual({ passes: true, findings: ['secret deleted'] });
  });
});

describe('an event written as a JSON object', () => {
  /** A rule on fields the scan does not read: its literals decide, each within one record. */
  const literals = ruleSetOf({
    title: 'backdoor config in kube-system',
    detection:
      "sel:\n    objectRef.namespace: 'kube-system'\n    responseObject.metadata.name|startswith: 'backdoor'\ncondition: sel",
    logsource: KUBE_AUDIT,
  });
  /** A ConfigMap whose data has a key `log`: inside an object event, the key is spelt with plain quotes. */
  const configMap = auditEvent({
    namespace: 'kube-system',
    resource: 'configmaps',
    requestObject: { kind: 'ConfigMap', data: { log: 'level=debug' } },
    responseObject: { kind: 'ConfigMap', metadata: { name: 'backdoor-cm' } },
  });

  it('finds it though a key inside it is named like the embedded string', () => {
    const body = JSON.stringify({
      records: [
        aksRecord(lease, { category: 'kube-audit' }),
        aksRecord(configMap, { category: 'kube-audit', parsed: true }),
      ],
    });
    expect(body).toContain('"log":"level=debug"');
    expect(verdict(literals, body)).toEqual({ passes: true, findings: ['backdoor config in kube-system'] });
  });

  it('finds it as an embedded string too, and rules out the same write elsewhere', () => {
    expect(verdict(literals, aksBody(lease, configMap))).toEqual({
      passes: true,
      findings: ['backdoor config in kube-system'],
    });
    const elsewhere = auditEvent({
      namespace: 'default',
      resource: 'configmaps',
      responseObject: { kind: 'ConfigMap', metadata: { name: 'backdoor-cm', namespace: 'default' } },
    });
    expect(verdict(literals, aksBody(lease, elsewhere))).toEqual(RULED_OUT);
  });
});
