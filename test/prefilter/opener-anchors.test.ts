import { describe, expect, it } from 'vitest';
import { auditEvent } from '../helpers/audit.js';
import { aksBody, KUBE_AUDIT, RULED_OUT, ruleSetOf, verdict } from './verdicts.js';

/**
 * An anchor literal may also be spelt by the key that opens each event's string (`"log":"` holds
 * `log`): there it is a key, never a field's value, and the event is not read for it.
 */

const POD_LOGS = {
  title: 'pod logs read',
  detection: "sel:\n    objectRef.subresource: 'log'\ncondition: sel",
  logsource: KUBE_AUDIT,
};
const ruleSet = ruleSetOf(POD_LOGS);
const leases = Array.from({ length: 40 }, (_, i) =>
  auditEvent({ verb: 'update', resource: 'leases', name: `node-${i}`, username: `system:node:aks-${i}` }),
);

describe('an anchor spelt by the key that opens an event', () => {
  it('does not read an event for the `log` of its own `"log":"`', () => {
    // A number where the scan reads strings: were the event read, its field could not be decided
    // and the body would be parsed. Only the opening key spells `log` in it.
    const numbered = auditEvent({ verb: 'get', resource: 'pods', subresource: 5 as unknown as string });
    expect(aksBody(numbered)).toContain('\\"subresource\\":5');
    expect(verdict(ruleSet, aksBody(numbered))).toEqual(RULED_OUT);
    expect(verdict(ruleSet, aksBody(...leases))).toEqual(RULED_OUT);
  });

  it('finds the pod log read among events whose keys all spell `log`', () => {
    const read = auditEvent({
      verb: 'get',
      resource: 'pods',
      subresource: 'log',
      username: 'mallory@contoso.example',
    });
    for (const at of [0, 20, 40])
      expect(verdict(ruleSet, aksBody(...leases.slice(0, at), read, ...leases.slice(at)))).toEqual({
        passes: true,
        findings: ['pod logs read'],
      });
  });

  it('takes a key that ends in `"log` (a quote escaped inside it) for a key, its value for no field', () => {
    // `"x\"log":"log"` is the key `x"log`: its value is no event's, and the body holds no pod log read.
    const body = aksBody(...leases.slice(0, 3)).replace('{"records":', '{"x\\"log":"log","records":');
    expect(JSON.parse(body)).toHaveProperty(['x"log'], 'log');
    expect(verdict(ruleSet, body)).toEqual(RULED_OUT);
  });
});
