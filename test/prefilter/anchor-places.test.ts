import { describe, expect, it } from 'vitest';
import { aksRecord, auditEvent, cronJobBody, podSpec } from '../helpers/audit.js';
import { bundledRuleSet } from '../helpers/detector.js';
import { aksBody, RULED_OUT, verdict } from './verdicts.js';

/**
 * The bundled rules need `jobs` in the resource an event writes: the prefilter searches the body
 * for it and reads only the events where it stands in that field. Each event below holds `jobs`
 * somewhere else, and a resource key the scan cannot read (spaced from its colon), which would
 * make the scan give up were the event read: it must not be.
 */

/** A pod write by a user, with its resource key spaced. */
function podWrite(extra: Record<string, unknown>): Record<string, unknown> {
  return { ...auditEvent({ verb: 'create', resource: 'pods' }), ...extra };
}
const spaced = (body: string) => {
  const out = body.replace('\\"resource\\":\\"pods\\"', '\\"resource\\" :\\"pods\\"');
  expect(out).not.toBe(body);
  return out;
};

describe('`jobs` outside the resource of an event', () => {
  it.each([
    ['in the request URI', { requestURI: '/api/v1/namespaces/default/pods?labelSelector=batch%2Fjobs' }],
    ['as the first key of an object', { requestObject: { metadata: { labels: { jobs: 'nightly' } } } }],
    [
      'as a later key of an object',
      { requestObject: { metadata: { labels: { app: 'x', jobs: 'nightly' } } } },
    ],
    ['as a label value', { requestObject: { metadata: { labels: { app: 'jobs' } } } }],
    [
      'in JSON nested in an annotation',
      { requestObject: { metadata: { annotations: { applied: JSON.stringify({ note: 'jobs' }) } } } },
    ],
  ])('rules out a pod write with it %s', async (_, extra) => {
    expect(verdict(await bundledRuleSet(), spaced(aksBody(podWrite(extra))))).toEqual(RULED_OUT);
  });

  it('rules out a record whose own fields name it, outside the embedded event', async () => {
    const record = { ...aksRecord(podWrite({}), { category: 'kube-audit' }), resourceId: '/x/jobs' };
    expect(verdict(await bundledRuleSet(), spaced(JSON.stringify({ records: [record] })))).toEqual(RULED_OUT);
  });
});

describe('`jobs` in the resource of an event', () => {
  const attack = auditEvent({ requestObject: cronJobBody(podSpec({ image: 'alpine:3.20' })) });

  it('finds the attack after pod writes that name it elsewhere', async () => {
    const others = [
      podWrite({ requestURI: '/api/v1/namespaces/default/pods?labelSelector=batch%2Fjobs' }),
      podWrite({ requestObject: { metadata: { labels: { app: 'x', jobs: 'nightly' } } } }),
    ];
    expect(verdict(await bundledRuleSet(), aksBody(...others, attack))).toEqual({
      passes: true,
      findings: ['Suspicious Kubernetes CronJob or Job Written'],
    });
  });
});
