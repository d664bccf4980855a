import { describe, expect, it } from 'vitest';
import type { EmbeddedTextGate } from '../../src/sources/log-source.js';
import { recogniseRecord } from '../../src/sources/recognise.js';
import { aksRecord, auditEvent } from '../helpers/audit.js';

/** Opening the AKS envelope around an audit Event: each way a forwarder may have written it, and each way it fails. */

function open(record: Record<string, unknown>, gate?: EmbeddedTextGate) {
  const recognised = recogniseRecord(record);
  if (recognised === undefined) throw new Error('not recognised');
  return recognised.shape.open(record, gate);
}

const event = auditEvent();
const withProperties = (properties: unknown) => ({ ...aksRecord(event), properties });

describe('the AKS envelope', () => {
  it('properties.log as the JSON text AKS writes', () => {
    const opened = open(aksRecord(event));
    expect(opened.kind === 'record' ? opened.record.context().sourceRecordId : opened).toBe(event['auditID']);
  });

  it('properties.log already parsed by a forwarder', () => {
    const opened = open(aksRecord(event, { parsed: true }));
    expect(opened.kind === 'record' ? opened.record.context().sourceRecordId : opened).toBe(event['auditID']);
  });

  it('properties serialised to a string by a forwarder', () => {
    const opened = open(withProperties(JSON.stringify({ log: JSON.stringify(event) })));
    expect(opened.kind === 'record' ? opened.record.context().sourceRecordId : opened).toBe(event['auditID']);
  });

  it.each([
    ['no properties', undefined],
    ['properties that are no object', 7],
    ['properties as text that is not JSON', '{log:'],
    ['properties as JSON text of an array', '[]'],
  ])('%s: unreadable, no properties object', (_, properties) => {
    expect(open(withProperties(properties))).toEqual({
      kind: 'unreadable',
      reason: 'kube-audit record has no properties object',
    });
  });

  it.each([
    ['no log', {}],
    ['a log that is a number', { log: 7 }],
  ])('%s: unreadable, no properties.log', (_, properties) => {
    expect(open(withProperties(properties))).toEqual({
      kind: 'unreadable',
      reason: 'kube-audit record has no properties.log',
    });
  });

  it('a log that is not JSON says what the parser said', () => {
    const opened = open(withProperties({ log: '{"kind":' }));
    expect(opened.kind).toBe('unreadable');
    expect(opened.kind === 'unreadable' ? opened.reason : '').toMatch(/^properties\.log is not JSON \(.+\)$/);
  });

  it.each(['[1]', '"text"', 'null'])('a log of JSON %s is no object', (log) => {
    expect(open(withProperties({ log }))).toEqual({
      kind: 'unreadable',
      reason: 'properties.log is not a JSON object',
    });
  });
});

describe('the gate on the embedded text', () => {
  it('a log no rule can match is ruled out unparsed', () => {
    const seen: string[] = [];
    const gate = (text: string) => {
      seen.push(text);
      return false;
    };
    const record = aksRecord(event);
    expect(open(record, gate)).toEqual({ kind: 'ruled-out' });
    expect(seen).toEqual([(record['properties'] as { log: string }).log]);
  });

  it('a log a rule may match is opened', () => {
    expect(open(aksRecord(event), () => true).kind).toBe('record');
  });

  it('a log already parsed is not text, so the gate is not asked', () => {
    expect(open(aksRecord(event, { parsed: true }), () => false).kind).toBe('record');
  });

  it('an unreadable envelope is reported, not ruled out', () => {
    expect(open(withProperties(undefined), () => false).kind).toBe('unreadable');
  });
});
