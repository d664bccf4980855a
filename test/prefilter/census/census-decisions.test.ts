import { describe, expect, it, vi } from 'vitest';
import { auditEvent } from '../../helpers/audit.js';
import { ByteCensus, MAX_CENSUS_BYTES } from '../../../src/prefilter/census/byte-census.js';
import {
  aksBody,
  BACKDOOR,
  BATCH_WRITE,
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

  it("reads the body's escapes where the census found them, without parsing for a harmless one", () => {
    // The API server writes `&` as `\u0026` (Go's encoder): every watch's URI holds some.
    const watch = auditEvent({ verb: 'watch', resource: 'configmaps', username: 'system:node:n1' });
    const watched = (query: string) =>
      aksBody(corednsUpdate, watch).replace('?fieldManager=', `?${query}fieldManager=`);
    expect(watched('x')).not.toBe(aksBody(corednsUpdate, watch));
    for (const harmless of [
      '?watch=true\\\\u0026limit=5',
      '\\\\u003C\\\\u003e',
      '\\\\u001F',
      '\\\\u00e9',
      '\\\\u',
      '\\\\u00',
      '\\\\u00zz',
    ])
      expect(verdict(ruleSet, watched(harmless)), harmless).toEqual(RULED_OUT);
    // An escaped letter (`s`, `S`) or quote could spell a literal or a key: the body is parsed.
    for (const unsafe of ['\\\\u0073', '\\\\u0053', '\\\\u005C', '\\\\u0022', '\\\\u212A', '\\\\u212a'])
      expect(ruleSet.prefilter.mayMatchBody(Buffer.from(watched(unsafe))), unsafe).toBe(true);
    // The last escape of a body, its digits at the very end, is read too.
    expect(ruleSet.prefilter.mayMatchBody(Buffer.from(`${aksBody(corednsUpdate)}\\u0073`))).toBe(true);
    expect(ruleSet.prefilter.mayMatchBody(Buffer.from(`${aksBody(corednsUpdate)}\\u007`))).toBe(false);
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

  /** A rule on a name that contains `value` (alone in a rule set, or not), and an AKS body of one event with that name. */
  const nameRule = (title: string, value: string) => ({
    title,
    detection: `sel:\n    objectRef.name|contains: '${value}'\ncondition: sel`,
    logsource: KUBE_AUDIT,
  });
  const nameContains = (title: string, value: string) => ruleSetOf(nameRule(title, value));
  const named = (name: string) => aksBody(auditEvent({ verb: 'get', resource: 'pods', username: 'u', name }));

  it('decides by rules whose literals start from no letter', () => {
    const colons = nameContains('colons in a name', '::::');
    expect(verdict(colons, named('a:::b'))).toEqual(RULED_OUT);
    expect(verdict(colons, named('a::::b'))).toEqual({ passes: true, findings: ['colons in a name'] });
    // No census runs for them: the escaped `:` (`\u003a`) is still seen, and the body parsed.
    const escaped = named('a::XX:b').replace('XX', '\\\\u003a');
    expect(escaped).toContain('a::\\\\u003a:b');
    expect(verdict(colons, escaped)).toEqual({ passes: true, findings: ['colons in a name'] });
  });

  it('finds a literal whose letter the census takes with the byte before it, in any case', () => {
    const boxes = nameContains('a box in a name', 'box');
    expect(verdict(boxes, named('bx-ox-xo'))).toEqual(RULED_OUT);
    for (const name of ['a-BOX', 'Box', 'x-bOx-x'])
      expect(verdict(boxes, named(name))).toEqual({ passes: true, findings: ['a box in a name'] });
  });

  it('searches a literal whose letter has the byte of a census key on its other side apart from that key', () => {
    // The census takes `j` before `o` (`jobs`) and `k` before `u`; `foj` is searched from `j` after `o`.
    const ruleSet = ruleSetOf(
      nameRule('jobs in a name', 'jobs'),
      nameRule('kubelet in a name', 'kubelet'),
      nameRule('foj in a name', 'foj'),
    );
    expect(verdict(ruleSet, named('a-jox-ofj'))).toEqual(RULED_OUT);
    for (const name of ['a-fojx', 'FOJ', 'foj-jobs'])
      expect(verdict(ruleSet, named(name)).findings).toContain('foj in a name');
  });

  it("takes the letter of whichever of a rule's literals now rules out most bodies", () => {
    // The Activity Log rule's literals are put in order by the bodies: on these AKS bodies, which
    // hold every literal but `write`, that one comes first, and the census then takes its letter.
    const ruleSet = ruleSetOf(BACKDOOR, BATCH_WRITE);
    const body = Buffer.from(
      aksBody(corednsUpdate).replace('coredns', 'microsoft.containerservice-managedclusters-batch-jobs'),
    );
    // A spy calls through: the census still runs, and each call's keys are kept.
    const run = vi.spyOn(ByteCensus.prototype, 'run');
    const taken: string[] = [];
    try {
      for (let i = 0; i < 600; i++) expect(ruleSet.prefilter.mayMatchBody(body)).toBe(false);
      for (const [, keys] of run.mock.calls)
        taken.push(keys.map((key) => String.fromCharCode(key.letter, key.beside?.byte ?? 0x20)).join(' '));
    } finally {
      run.mockRestore();
    }
    // `w` with the `r` of `write` beside it: not taken at first, taken once the bodies taught it.
    expect(taken[0]).not.toContain('wr');
    expect(taken.at(-1)).toContain('wr');
    expect(new Set(taken).size).toBeLessThan(5);
  });
});
