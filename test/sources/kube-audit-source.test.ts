import { describe, expect, it } from 'vitest';
import { kubeAuditSource } from '../../src/sources/kube-audit/source.js';
import { aksRecord, auditEvent } from '../helpers/audit.js';

/** The kube-audit descriptor: which rules run on it, which fields are text, and how a sample is replayed. */

const ISO = '2026-11-28T10:00:00.000Z';
/** The audit Event keeps microseconds (MicroTime). */
const MICRO = '2026-11-28T10:00:00.000000Z';

describe('which Sigma logsources run on kube-audit', () => {
  it.each([
    [{ product: 'kubernetes', service: 'audit' }, true],
    [{ product: 'Kubernetes', service: 'AUDIT' }, true],
    [{ product: 'kubernetes', service: 'audit', category: 'application' }, true],
    [{ product: 'kubernetes', service: 'audit', category: 'Application' }, true],
    [{ product: 'kubernetes', service: 'audit', category: 'process_creation' }, false],
    [{ product: 'kubernetes' }, false],
    [{ service: 'audit' }, false],
    [{ product: 'azure', service: 'audit' }, false],
    [{ product: 'kubernetes', service: 'activitylogs' }, false],
  ])('%j: %s', (logsource, expected) => {
    expect(kubeAuditSource.matchesLogsource(logsource)).toBe(expected);
  });
});

describe('the prefilter spec', () => {
  it('fields of the audit Event are text of the record; derived fields are not', () => {
    const { isRawField } = kubeAuditSource.prefilter;
    expect(['verb', 'objectRef.resource', 'user.username', 'requestObject.spec'].map(isRawField)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['image', 'command', 'workload_kind', 'request_body', 'host_path'].map(isRawField)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(isRawField('constructor')).toBe(true);
  });

  it('gates on the category and scans the embedded log', () => {
    expect(kubeAuditSource.prefilter.gate).toBe('kube-audit');
    expect(kubeAuditSource.prefilter.embedded?.key).toBe('log');
  });

  it('shows an operation as it is', () => {
    expect(kubeAuditSource.shortOperation('create cronjobs')).toBe('create cronjobs');
  });
});

describe('restamp: a replayed sample looks recent', () => {
  it('the Event in properties.log as JSON text: both of its times, in microseconds, and the text kept as text', () => {
    const record = aksRecord(auditEvent());
    kubeAuditSource.restamp(record, ISO);
    const log = (record['properties'] as Record<string, unknown>)['log'] as string;
    expect(log.endsWith('}\n')).toBe(true);
    const event = JSON.parse(log) as Record<string, unknown>;
    expect([event['requestReceivedTimestamp'], event['stageTimestamp']]).toEqual([MICRO, MICRO]);
    expect(event['verb']).toBe('create');
  });

  it('the Event already parsed by a forwarder: restamped in place, still an object', () => {
    const record = { ...aksRecord(auditEvent()), properties: { log: auditEvent() } };
    kubeAuditSource.restamp(record, ISO);
    const event = (record.properties as Record<string, unknown>)['log'] as Record<string, unknown>;
    expect([event['requestReceivedTimestamp'], event['stageTimestamp']]).toEqual([MICRO, MICRO]);
  });

  it('a time the Event does not carry is not added', () => {
    const event = auditEvent();
    delete event['stageTimestamp'];
    const record = aksRecord(event);
    kubeAuditSource.restamp(record, ISO);
    const restamped = JSON.parse((record['properties'] as Record<string, string>)['log'] ?? '') as Record<
      string,
      unknown
    >;
    expect(restamped['requestReceivedTimestamp']).toBe(MICRO);
    expect(Object.hasOwn(restamped, 'stageTimestamp')).toBe(false);
  });

  it('a time that is no string is left alone', () => {
    const event = { ...auditEvent(), stageTimestamp: 1_764_324_000 };
    const record = aksRecord(event);
    kubeAuditSource.restamp(record, ISO);
    const restamped = JSON.parse((record['properties'] as Record<string, string>)['log'] ?? '') as Record<
      string,
      unknown
    >;
    expect(restamped['stageTimestamp']).toBe(1_764_324_000);
  });

  it('properties serialised to a string by a forwarder: left as it is', () => {
    const properties = JSON.stringify({ log: `${JSON.stringify(auditEvent())}\n` });
    const record = { ...aksRecord(auditEvent()), properties };
    kubeAuditSource.restamp(record, ISO);
    expect(record.properties).toBe(properties);
  });

  it('a record without an envelope, or with a log that is not an Event, is left as it is', () => {
    const bare: Record<string, unknown> = { category: 'kube-audit', time: '2025-03-04T09:15:27Z' };
    kubeAuditSource.restamp(bare, ISO);
    expect(bare).toEqual({ category: 'kube-audit', time: '2025-03-04T09:15:27Z' });
    for (const log of ['not json', '[1,2]', 42]) {
      const record = { ...aksRecord(auditEvent()), properties: { log } };
      kubeAuditSource.restamp(record, ISO);
      expect(record.properties).toEqual({ log });
    }
  });
});
