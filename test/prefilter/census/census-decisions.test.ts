import { describe, expect, it } from 'vitest';
import { auditEvent } from '../../helpers/audit.js';
import { MAX_CENSUS_BYTES } from '../../../src/prefilter/census/byte-census.js';
import {
  aksBody,
  BACKDOOR,
  backdoorCreate,
  corednsUpdate,
  KUBE_AUDIT,
  RULED_OUT,
  ruleSetOf,
  verdict,
} from '../verdicts.js';

/**
 * An AKS body (it holds backslashes) is searched through one census pass: the decisions must be
 * those of the searches it replaces, whatever its size and whatever letters the rules start from.
 */
describe('deciding AKS bodies through the census', () => {
  const ruleSet = ruleSetOf(BACKDOOR);

  it('rules out and lets through as before, and sees an escape that could spell a literal', () => {
    expect(verdict(ruleSet, aksBody(corednsUpdate))).toEqual(RULED_OUT);
    expect(verdict(ruleSet, aksBody(corednsUpdate, backdoorCreate('kube-system'))).passes).toBe(true);
    // `\u0073` is `s`: the escape could spell part of a literal, so the body is parsed.
    const escaped = aksBody(corednsUpdate).replace('coredns', '\\\\u0073oredns');
    expect(ruleSet.prefilter.mayMatchBody(Buffer.from(escaped))).toBe(true);
  });

  it('decides a body too large for a census by the searches it replaces', () => {
    const padding = 'x'.repeat(MAX_CENSUS_BYTES);
    const large = (event: Record<string, unknown>) =>
      aksBody(
        auditEvent({ verb: 'get', resource: 'pods', username: 'system:node:n1', name: padding }),
        event,
      );
    expect(ruleSet.prefilter.mayMatchBody(Buffer.from(large(corednsUpdate)))).toBe(false);
    expect(ruleSet.prefilter.mayMatchBody(Buffer.from(large(backdoorCreate('kube-system'))))).toBe(true);
  });

  /** A rule on a name that contains `value`, and an AKS body of one event with that name. */
  const nameContains = (title: string, value: string) =>
    ruleSetOf({
      title,
      detection: `sel:\n    objectRef.name|contains: '${value}'\ncondition: sel`,
      logsource: KUBE_AUDIT,
    });
  const named = (name: string) => aksBody(auditEvent({ verb: 'get', resource: 'pods', username: 'u', name }));

  it('decides by rules whose literals start from no letter', () => {
    const colons = nameContains('colons in a name', '::::');
    expect(verdict(colons, named('a:::b'))).toEqual(RULED_OUT);
    expect(verdict(colons, named('a::::b'))).toEqual({ passes: true, findings: ['colons in a name'] });
  });

  it('finds a literal whose letter the census takes with the byte before it, in any case', () => {
    const boxes = nameContains('a box in a name', 'box');
    expect(verdict(boxes, named('bx-ox-xo'))).toEqual(RULED_OUT);
    for (const name of ['a-BOX', 'Box', 'x-bOx-x'])
      expect(verdict(boxes, named(name))).toEqual({ passes: true, findings: ['a box in a name'] });
  });
});
