import { describe, expect, it } from 'vitest';
import { latin1Read } from './latin1-read.js';
import { auditEvent } from '../helpers/audit.js';
import {
  aksBody,
  BATCH_WRITE,
  CRONJOB_CREATE,
  KUBE_AUDIT,
  RULED_OUT,
  ruleSetOf,
  verdict,
} from './verdicts.js';

/**
 * An AKS body is read as text only around the places its anchors stand: the events elsewhere in
 * it are never made into a string, and neither is a body a rare literal rules out.
 */

const leases = Array.from({ length: 40 }, (_, i) =>
  auditEvent({ verb: 'update', resource: 'leases', name: `node-${i}`, username: `system:node:aks-${i}` }),
);
const cronJobCreate = auditEvent({
  verb: 'create',
  resource: 'cronjobs',
  username: 'mallory@contoso.example',
});
const cronJobRead = auditEvent({ verb: 'get', resource: 'cronjobs', username: 'mallory@contoso.example' });

describe('reading an AKS body around its anchors', () => {
  const ruleSet = ruleSetOf(CRONJOB_CREATE, BATCH_WRITE);

  it('reads the one event an anchor stands in, not the forty around it', () => {
    for (const [event, expected] of [
      [cronJobCreate, { passes: true, findings: ['cronjob created'] }],
      [cronJobRead, RULED_OUT],
    ] as const) {
      const body = Buffer.from(aksBody(...leases.slice(0, 20), event, ...leases.slice(20)));
      const read = latin1Read(() => expect(ruleSet.prefilter.mayMatchBody(body)).toBe(expected.passes));
      expect(read).toBeGreaterThan(0);
      expect(read).toBeLessThan(body.length / 10);
      expect(verdict(ruleSet, body.toString())).toEqual(expected);
    }
  });

  it('reads the event an anchor stands in from its key to the next event (first, middle and last)', () => {
    for (const at of [0, 20, 40]) {
      const events = [...leases.slice(0, at), cronJobCreate, ...leases.slice(at)];
      expect(verdict(ruleSet, aksBody(...events))).toEqual({ passes: true, findings: ['cronjob created'] });
      const body = Buffer.from(aksBody(...events));
      expect(latin1Read(() => ruleSet.prefilter.mayMatchBody(body))).toBeLessThan(body.length / 10);
    }
  });

  it('makes no string of a body without an anchor, nor of one a rare literal of the other rule rules out', () => {
    // The body names managed clusters and `batch` but holds no `write` (a rare letter's literal).
    const body = Buffer.from(
      aksBody(...leases, auditEvent({ verb: 'get', resource: 'leases', namespace: 'batch' })),
    );
    expect(latin1Read(() => expect(ruleSet.prefilter.mayMatchBody(body)).toBe(false))).toBe(0);
  });
});

describe('a rule set whose only rule is on audit events', () => {
  it('reads the anchored event of a body as bytes and as a string alike', () => {
    const ruleSet = ruleSetOf({ ...CRONJOB_CREATE, logsource: KUBE_AUDIT });
    const body = aksBody(...leases.slice(0, 3), cronJobCreate, ...leases.slice(3, 6));
    expect(verdict(ruleSet, body)).toEqual({ passes: true, findings: ['cronjob created'] });
  });
});
