import { describe, expect, it } from 'vitest';
import {
  compact,
  convertedShape,
  dynamicRecord,
  dynamicValue,
  textCell,
  timeText,
  type RecordShape,
} from '../../src/sources/shape.js';
import type { InputShape } from '../../src/sources/log-source.js';

describe('Log Analytics cells', () => {
  it('read a dynamic cell as JSON when it is JSON text, and keep any other text', () => {
    expect(
      [
        { scope: '/subscriptions/s' },
        ' {"scope":"/subscriptions/s"} ',
        '[1,2]',
        '"quoted"',
        'skipped-too-big-size-object',
        '{not json',
        '123',
        'null',
        'x{"a":1}',
        '',
        '   ',
        7,
        null,
      ].map(dynamicValue),
    ).toEqual([
      { scope: '/subscriptions/s' },
      { scope: '/subscriptions/s' },
      [1, 2],
      'quoted',
      'skipped-too-big-size-object',
      '{not json',
      '123',
      'null',
      'x{"a":1}',
      undefined,
      undefined,
      7,
      null,
    ]);
  });

  it('read a dynamic cell as a record only when it holds an object', () => {
    expect(['{"a":1}', '[{"a":1}]', 'text', undefined].map(dynamicRecord)).toEqual([
      { a: 1 },
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('read a datetime cell from a Date or ISO text, and nothing from an invalid or empty one', () => {
    expect(
      [
        new Date('2025-03-04T09:15:27.441Z'),
        new Date('not a date'),
        '2025-03-04T09:15:27Z',
        '',
        1741079727,
      ].map(timeText),
    ).toEqual(['2025-03-04T09:15:27.441Z', undefined, '2025-03-04T09:15:27Z', undefined, undefined]);
  });

  it('read an empty string cell as absent, as CSV cannot tell them apart', () => {
    expect(['Success', '', 0, null].map(textCell)).toEqual(['Success', undefined, undefined, undefined]);
  });

  it('drop only the absent values of a record, and keep a __proto__ key as data', () => {
    const record = compact(
      JSON.parse('{"a":null,"b":"","__proto__":{"polluted":true}}') as Record<string, unknown>,
    );
    expect(Object.entries(compact({ a: 1, b: undefined, c: null, d: '' }))).toEqual([
      ['a', 1],
      ['c', null],
      ['d', ''],
    ]);
    expect(Object.keys(record)).toEqual(['a', 'b', '__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('converted shapes', () => {
  const seen: unknown[] = [];
  const row: RecordShape = {
    id: 'test-row',
    name: 'a test row',
    source: 'AzureActivity',
    marker: '"Op"',
    recognise: (record) => typeof record['Op'] === 'string',
    toSourceRecord: (record, context) => ({
      operationName: record['Op'],
      cluster: context.clusterId ?? 'none',
    }),
  };
  const exported: InputShape = {
    id: 'export',
    description: 'the export',
    recognise: () => false,
    open: (record, _gate, context) => {
      seen.push([record, context]);
      return { kind: 'ruled-out' };
    },
  };

  it('are listed by their own id and name, recognised by their own keys, and opened as the export', () => {
    const shape = convertedShape(row, exported);
    expect([shape.id, shape.description]).toEqual(['test-row', 'a test row']);
    expect([shape.recognise({ Op: 'X/WRITE' }), shape.recognise({ operationName: 'X/WRITE' })]).toEqual([
      true,
      false,
    ]);
    expect(shape.open({ Op: 'X/WRITE' })).toEqual({ kind: 'ruled-out' });
    expect(shape.open({ Op: 'X/WRITE' }, undefined, { clusterId: 'aks-1' })).toEqual({ kind: 'ruled-out' });
    expect(seen).toEqual([
      [{ operationName: 'X/WRITE', cluster: 'none' }, undefined],
      [{ operationName: 'X/WRITE', cluster: 'aks-1' }, { clusterId: 'aks-1' }],
    ]);
  });
});
