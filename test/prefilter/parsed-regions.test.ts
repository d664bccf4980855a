import { describe, expect, it } from 'vitest';
import { auditEvent, cronJobBody, podSpec } from '../helpers/audit.js';
import { aksBody, KUBE_AUDIT, reportedProblems, RULED_OUT, ruleSetOf, verdict } from './verdicts.js';

/**
 * Events whose scanned fields let a rule through are parsed alone, from their embedded string, and
 * the rule's items on raw fields decide them: a CronJob created in `kube-system` is flagged, one
 * created elsewhere is ruled out, however much text (nested JSON, other scripts) the event holds.
 */

const ruleSet = ruleSetOf({
  title: 'cronjob in kube-system',
  detection:
    'sel:\n    verb:\n        - create\n        - patch\n    objectRef.resource: cronjobs\n    objectRef.namespace: kube-system\ncondition: sel',
  logsource: KUBE_AUDIT,
});

/** A CronJob created by kubectl apply: the annotation holds the applied object as JSON text. */
function applied(namespace: string, note = 'nightly'): Record<string, unknown> {
  const object = cronJobBody(podSpec({ image: 'alpine:3.20', command: ['sh', '-c', 'echo "hi"'] }));
  const metadata = { name: 'evil', namespace, annotations: { note } };
  const lastApplied = JSON.stringify({ ...object, metadata: { ...metadata, namespace: 'kube-system' } });
  return auditEvent({
    namespace,
    requestObject: {
      ...object,
      metadata: {
        ...metadata,
        annotations: { note, 'kubectl.kubernetes.io/last-applied-configuration': lastApplied },
      },
    },
  });
}

const lease = auditEvent({ verb: 'update', resource: 'leases', namespace: 'kube-node-lease' });

describe('an event parsed alone after its scanned fields let a rule through', () => {
  it('rules out a CronJob created in another namespace, though nested JSON in it names kube-system', () => {
    expect(verdict(ruleSet, aksBody(lease, applied('default')))).toEqual(RULED_OUT);
  });

  it('finds the CronJob created in kube-system', () => {
    expect(verdict(ruleSet, aksBody(lease, applied('kube-system')))).toEqual({
      passes: true,
      findings: ['cronjob in kube-system'],
    });
  });

  it('reads each event of the body on its own: the second one matches', () => {
    expect(verdict(ruleSet, aksBody(applied('default'), applied('kube-system')))).toEqual({
      passes: true,
      findings: ['cronjob in kube-system'],
    });
    expect(verdict(ruleSet, aksBody(applied('default'), lease, applied('monitoring')))).toEqual(RULED_OUT);
  });

  it('reads events that hold text outside ASCII, whose bytes are more than their characters', () => {
    for (const note of ['Zürich nightly', 'バックアップ', 'backup \u{1f4be}']) {
      expect(verdict(ruleSet, aksBody(applied('default', note), lease)), note).toEqual(RULED_OUT);
      expect(verdict(ruleSet, aksBody(applied('default', note), applied('kube-system', note))), note).toEqual(
        {
          passes: true,
          findings: ['cronjob in kube-system'],
        },
      );
    }
  });

  it('reads an event whose values end in backslashes', () => {
    // `C:\\` ends the note with a backslash: the string still closes at the quote after it.
    expect(verdict(ruleSet, aksBody(applied('default', 'C:\\'), lease))).toEqual(RULED_OUT);
    expect(verdict(ruleSet, aksBody(applied('kube-system', 'C:\\\\')))).toEqual({
      passes: true,
      findings: ['cronjob in kube-system'],
    });
  });

  it('lets through an event it cannot parse, which the full parse then reports', () => {
    const body = aksBody(applied('default')).replace('\\"kind\\":\\"Event\\"', '\\"kind\\":\\"Event\\",,');
    expect(body).toContain(',,');
    expect(verdict(ruleSet, body)).toEqual({ passes: true, findings: [] });
    expect(reportedProblems(ruleSet, body)).toHaveLength(1);
  });
});
