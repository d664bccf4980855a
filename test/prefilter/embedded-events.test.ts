import { describe, expect, it } from 'vitest';
import { aksRecord, auditEvent } from '../helpers/audit.js';
import { activityRecord, FIXED_CLOCK, processBatch } from '../helpers/detector.js';
import {
  ACTIVITY,
  aksBody,
  BACKDOOR,
  backdoorCreate,
  corednsUpdate,
  KUBE_AUDIT,
  RULED_OUT,
  ruleSetOf,
  verdict,
  type TestRule,
} from './verdicts.js';

/**
 * The events an AKS record embeds as a JSON string (`properties.log`): a rule's literals must all
 * stand in one record's event, and each event's text is tested alone before it is parsed.
 */

const SECRET_DELETE: TestRule = {
  title: 'secret deleted',
  detection: 'sel:\n    verb: delete\n    objectRef.resource: secrets\ncondition: sel',
  logsource: KUBE_AUDIT,
};

/** The event as AKS embeds it: its JSON text and a newline. */
const logText = (event: Record<string, unknown>) => `${JSON.stringify(event)}\n`;

describe('the literals of a rule, within one embedded event', () => {
  const ruleSet = ruleSetOf(BACKDOOR);
  const coredns = corednsUpdate;
  const backdoor = backdoorCreate;

  it('finds the event that holds them all', () => {
    expect(ruleSet.prefilter.enabled).toBe(true);
    expect(verdict(ruleSet, aksBody(coredns, backdoor('kube-system')))).toEqual({
      passes: true,
      findings: ['backdoor in kube-system'],
    });
  });

  it('rules out a body whose events hold one each', () => {
    expect(verdict(ruleSet, aksBody(coredns, backdoor('default')))).toEqual(RULED_OUT);
    expect(verdict(ruleSet, aksBody(backdoor('default'), coredns))).toEqual(RULED_OUT);
  });

  it("rules out a body without the source's own mark, however its text reads", () => {
    // An Activity Log record that spells both literals: no kube-audit record is there to match.
    const activity = activityRecord('MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/WRITE', {
      properties: { message: 'kube-system backdoor' },
    });
    expect(verdict(ruleSet, JSON.stringify({ records: [activity] }))).toEqual(RULED_OUT);
  });

  it('finds the event of a record whose `properties` a forwarder wrote as a JSON string, before the others', () => {
    const record = aksRecord(backdoor('kube-system'), { category: 'kube-audit' });
    const stringified = { ...record, properties: JSON.stringify(record['properties']) };
    const body = JSON.stringify({ records: [stringified, aksRecord(coredns, { category: 'kube-audit' })] });
    expect(verdict(ruleSet, body)).toEqual({ passes: true, findings: ['backdoor in kube-system'] });
  });

  it('finds the event of a record whose `log` is spaced from its key, after another record', () => {
    const spaced = JSON.stringify(aksRecord(backdoor('kube-system'), { category: 'kube-audit' })).replace(
      '"log":"',
      '"log": "',
    );
    const body = `{"records":[${JSON.stringify(aksRecord(coredns, { category: 'kube-audit' }))},${spaced}]}`;
    expect(verdict(ruleSet, body)).toEqual({ passes: true, findings: ['backdoor in kube-system'] });
  });

  it('finds the event of a record whose `log` is an object', () => {
    const body = JSON.stringify({
      records: [
        aksRecord(coredns, { category: 'kube-audit' }),
        aksRecord(backdoor('kube-system'), { category: 'kube-audit', parsed: true }),
      ],
    });
    expect(verdict(ruleSet, body)).toEqual({ passes: true, findings: ['backdoor in kube-system'] });
  });
});

describe('the gate on one embedded event text', () => {
  const ruleSet = ruleSetOf(SECRET_DELETE, BACKDOOR, {
    title: 'cronjob write',
    detection: "sel:\n    operationName|endswith: '/CRONJOBS/WRITE'\ncondition: sel",
    logsource: ACTIVITY,
  });
  const gate = ruleSet.prefilter.embeddedGate('KubeAudit');

  it('is there for the source that embeds its events, not for the Activity Log', () => {
    expect(gate).toBeDefined();
    expect(ruleSet.prefilter.embeddedGate('AzureActivity')).toBeUndefined();
  });

  it("lets through an event that holds some rule's every literal, in any case", () => {
    expect(gate?.(logText(auditEvent({ verb: 'delete', resource: 'secrets' })))).toBe(true);
    expect(gate?.(logText(auditEvent({ verb: 'DELETE', resource: 'Secrets' })))).toBe(true);
    expect(gate?.(logText(auditEvent({ namespace: 'kube-system', name: 'backdoor' })))).toBe(true);
  });

  it('rules out an event that holds no rule whole', () => {
    expect(gate?.(logText(auditEvent({ verb: 'update', resource: 'leases' })))).toBe(false);
    // `delete` of one rule and `kube-system` of the other: neither rule is whole.
    expect(gate?.(logText(auditEvent({ verb: 'delete', resource: 'pods', namespace: 'kube-system' })))).toBe(
      false,
    );
  });

  it('lets through an event with an escape or a character that could spell a literal', () => {
    const lease = logText(auditEvent({ verb: 'update', resource: 'leases' }));
    expect(gate?.(lease.replace('leases', 'lease\\u0073'))).toBe(true);
    expect(gate?.(lease.replace('leases', 'leases\u212a'))).toBe(true);
    expect(gate?.(lease.replace('leases', 'leases\u0130'))).toBe(true);
    // A harmless escape (Go writes `<` so) changes nothing.
    expect(gate?.(lease.replace('leases', 'leases\\u003c'))).toBe(false);
  });

  it('counts the records it rules out in a body another record lets through', () => {
    const deletion = auditEvent({ verb: 'delete', resource: 'secrets' });
    const lease = auditEvent({ verb: 'update', resource: 'leases' });
    const run = (body: string | Buffer) =>
      processBatch([{ body, origin: { event: 0 } }], {
        ruleSet,
        clock: FIXED_CLOCK,
        detectorVersion: 'test',
      });
    // Bytes are read record by record: the leases are never parsed, and counted so. A string
    // body is parsed whole, and the gate rules out the leases' embedded events.
    for (const [body, unparsed, gated] of [
      [Buffer.from(aksBody(lease, deletion, lease)), 2, 0],
      [aksBody(lease, deletion, lease), 0, 2],
    ] as const) {
      const result = run(body);
      expect(result.findings.map((f) => f.RuleTitle)).toEqual(['secret deleted']);
      expect(result.report).toMatchObject({
        records: 3,
        prefilterUnparsedRecords: unparsed,
        prefilterSkippedRecords: gated,
      });
      expect(result.report.bySource.KubeAudit).toBe(3 - unparsed);
    }
  });
});
