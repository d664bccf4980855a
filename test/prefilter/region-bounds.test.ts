import { describe, expect, it } from 'vitest';
import { aksRecord, auditEvent, CLUSTER_ID } from '../helpers/audit.js';
import { aksBody, CRONJOB_CREATE, KUBE_AUDIT, RULED_OUT, ruleSetOf, verdict } from './verdicts.js';

/**
 * An AKS body is read event by event around its anchors: each region runs from the key that opens
 * an event's string (`"log":"`) to the next one, in the body's bytes or in its string alike. A
 * region that reaches into the next event, or starts in the one before, joins two events' fields.
 */

const ruleSet = ruleSetOf({ ...CRONJOB_CREATE, logsource: KUBE_AUDIT });
const FOUND = { passes: true, findings: ['cronjob created'] };

const create = (resource: string, name = 'evil') => auditEvent({ verb: 'create', resource, name });
const get = (resource: string, name = 'evil') => auditEvent({ verb: 'get', resource, name });

describe('the region of an anchored event', () => {
  it("never joins an event's fields with those of the event before or after it", () => {
    // Each body holds `create` and `cronjobs`, never in one event.
    for (const events of [
      [create('leases'), get('cronjobs')],
      [get('cronjobs'), create('leases')],
      [create('leases'), get('cronjobs'), create('leases')],
    ])
      expect(verdict(ruleSet, aksBody(...events))).toEqual(RULED_OUT);
  });

  it('decides each anchored event of a body on its own, whichever comes first', () => {
    for (const events of [
      [get('cronjobs'), create('cronjobs')],
      [create('cronjobs'), get('cronjobs')],
      [get('cronjobs'), create('leases'), get('cronjobs'), create('cronjobs')],
    ])
      expect(verdict(ruleSet, aksBody(...events))).toEqual(FOUND);
  });

  it('finds the same region in bytes and in a string when characters before it take several bytes', () => {
    const wide = (text: string) => create('leases', text.repeat(40));
    for (const text of ['é', '中', '😀']) {
      expect(verdict(ruleSet, aksBody(wide(text), get('cronjobs'), wide(text))), text).toEqual(RULED_OUT);
      expect(
        verdict(ruleSet, aksBody(wide(text), create('cronjobs', `${text}-x`), wide(text))),
        text,
      ).toEqual(FOUND);
    }
  });
});

describe('bodies whose events are not opened by `"log":"`', () => {
  it('lets through an event whose key is written with a space, or whose log is an object', () => {
    expect(verdict(ruleSet, aksBody(create('cronjobs')).replace('"log":"', '"log": "'))).toEqual(FOUND);
    const parsed = JSON.stringify({
      records: [aksRecord(create('cronjobs'), { parsed: true, category: 'kube-audit' })],
    });
    expect(verdict(ruleSet, parsed)).toEqual(FOUND);
  });

  it('reads a record\'s last `log`, written with a space after one opened by `"log":"`', () => {
    // JSON keeps the last of two equal keys: the record's event is the second, a creation.
    const second = `"stream":"stdout","log": ${JSON.stringify(`${JSON.stringify(create('cronjobs'))}\n`)}`;
    const twice = aksBody(get('cronjobs')).replace('"stream":"stdout"', second);
    expect(twice).toContain('"log": "');
    expect(verdict(ruleSet, twice)).toEqual(FOUND);
  });

  it('decides alike an anchor in the text before the first event, and a key of another case', () => {
    // A record field before `properties` spells a cronjob's creation; its event is a read.
    const header = JSON.stringify({
      records: [
        {
          note: JSON.stringify({ verb: 'create', objectRef: { resource: 'cronjobs' } }),
          ...aksRecord(get('cronjobs'), { category: 'kube-audit' }),
        },
      ],
    });
    expect(verdict(ruleSet, header).findings).toEqual([]);
    // `"LOG":"` is no event's key: it neither opens nor ends a region.
    const record = aksRecord(get('cronjobs'), { category: 'kube-audit' });
    const properties = record['properties'] as Record<string, unknown>;
    const shadowed = JSON.stringify({
      records: [{ ...record, properties: { ...properties, LOG: `${JSON.stringify(create('cronjobs'))}\n` } }],
    });
    expect(verdict(ruleSet, shadowed).findings).toEqual([]);
    const before = JSON.stringify({
      records: [{ ...record, properties: { LOG: `${JSON.stringify(create('cronjobs'))}\n`, ...properties } }],
    });
    expect(verdict(ruleSet, before).findings).toEqual([]);
  });
});

describe('a region that ends a few bytes after its event', () => {
  /** A record whose `log` is its last key, its event's scanned fields written last (with AKS's newline or, as a forwarder may, without). */
  const lastRecord = (verb: string, resource: string, newline = '\n') => ({
    category: 'kube-audit',
    resourceId: CLUSTER_ID,
    time: '2025-03-04T09:15:27.0000000Z',
    properties: {
      pod: 'kube-apiserver-7c9d8b6f5d-x2k4q',
      log: `${JSON.stringify({ ...get('pods'), objectRef: { resource }, verb })}${newline}`,
    },
  });

  it('reads the event whose fields end its region, at the body end and before the next event', () => {
    const body = (...records: object[]) => JSON.stringify({ records });
    expect(verdict(ruleSet, body(lastRecord('create', 'cronjobs')))).toEqual(FOUND);
    expect(verdict(ruleSet, body(lastRecord('get', 'cronjobs')))).toEqual(RULED_OUT);
    expect(verdict(ruleSet, body(lastRecord('get', 'cronjobs'), lastRecord('create', 'cronjobs')))).toEqual(
      FOUND,
    );
    expect(verdict(ruleSet, body(lastRecord('create', 'cronjobs'), lastRecord('get', 'leases')))).toEqual(
      FOUND,
    );
    expect(verdict(ruleSet, body(lastRecord('create', 'leases'), lastRecord('get', 'cronjobs')))).toEqual(
      RULED_OUT,
    );
    expect(verdict(ruleSet, body(lastRecord('create', 'cronjobs', '')))).toEqual(FOUND);
    expect(
      verdict(ruleSet, body(lastRecord('get', 'leases', ''), lastRecord('create', 'cronjobs', ''))),
    ).toEqual(FOUND);
  });
});
