import { describe, expect, it } from 'vitest';
import { decodeBody } from '../../src/decode/decode-body.js';

const r1 = { operationName: 'A', time: '2025-01-01T00:00:00Z' };
const r2 = { operationName: 'B', time: '2025-01-01T00:00:01Z' };

describe('decodeBody', () => {
  it.each([
    ['a Buffer envelope', Buffer.from(JSON.stringify({ records: [r1, r2] }))],
    ['a string envelope', JSON.stringify({ records: [r1, r2] })],
    ['a parsed envelope', { records: [r1, r2] }],
    ['an array of records', [r1, r2]],
    ['an array of envelopes', [{ records: [r1] }, { records: [r2] }]],
    ['a Uint8Array with a BOM', new TextEncoder().encode(`\uFEFF${JSON.stringify([r1, r2])}`)],
  ])('accepts %s', (_name, body) => {
    expect(decodeBody(body)).toEqual({ records: [r1, r2], problems: [] });
  });

  it('accepts a single record', () => {
    expect(decodeBody(JSON.stringify(r1)).records).toEqual([r1]);
  });

  it('reports a malformed body without throwing', () => {
    const decoded = decodeBody('{"records": [ {"operationName": "A"');
    expect(decoded.records).toEqual([]);
    expect(decoded.problems[0]).toMatch(/not JSON/);
    expect(decodeBody('').problems[0]).toMatch(/empty/);
  });

  it('keeps the good records next to bad ones', () => {
    const decoded = decodeBody({ records: [r1, 42, null, 'x', [r2], r2] });
    expect(decoded.records).toEqual([r1, r2]);
    expect(decoded.problems).toEqual([
      'body.records[1]: number is not a record',
      'body.records[2]: null is not a record',
      'body.records[3]: string is not a record',
      'body.records[4]: array is not a record',
    ]);
  });

  it('rejects scalars, nested arrays and a non-array records field', () => {
    expect(decodeBody(7).problems).toEqual(['body: number is not a record']);
    expect(decodeBody(null).problems).toEqual(['body: null is not a record']);
    expect(decodeBody([[[r1]]]).problems).toEqual(['body[0][0]: nested array is not a record']);
    expect(decodeBody({ records: 'nope' }).problems).toEqual(['body.records: expected an array, got string']);
  });

  it('keeps __proto__ keys as inert data', () => {
    const decoded = decodeBody('{"records":[{"__proto__":{"isAdmin":true},"operationName":"A"}]}');
    const [record] = decoded.records;
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
    expect((record as Record<string, unknown>)['isAdmin']).toBeUndefined();
    expect(Object.hasOwn(record as object, '__proto__')).toBe(true);
  });
});

describe('decodeBody: an envelope that does not parse', () => {
  const good = JSON.stringify({ records: [r1, r2] });

  it('is read record by record, naming the record it could not read, as text or bytes', () => {
    const spoilt = good.replace('"operationName":"B"', '"operationName":B');
    for (const body of [spoilt, Buffer.from(spoilt)]) {
      const decoded = decodeBody(body);
      expect(decoded.records).toEqual([r1]);
      expect(decoded.elements).toEqual([0]);
      expect(decoded.problems).toEqual([
        expect.stringMatching(/^not JSON: .*; read record by record: 1 of 2 read$/),
        expect.stringMatching(/^body\.records\[1\]: not JSON: /),
      ]);
    }
  });

  it('says where a cut body stops, and reads its whole records', () => {
    const cut = good.slice(0, good.length - 10);
    expect(decodeBody(cut)).toEqual({
      records: [r1],
      elements: [0],
      problems: [
        expect.stringMatching(
          new RegExp(
            `^not JSON: .*; read record by record: 1 of 1 read; not JSON from byte ${cut.length} \\(after 1 whole record\\(s\\)\\): the rest is not read$`,
          ),
        ),
      ],
    });
  });

  it('is one problem when no record of it is whole', () => {
    for (const body of ['{"records": [ {"operationName": "A"', '{"records":[']) {
      const decoded = decodeBody(body);
      expect(decoded.records).toEqual([]);
      expect(decoded.problems).toEqual([expect.stringMatching(/^not JSON: [^;]*$/)]);
    }
  });
});

describe('decodeBody: what is not a record', () => {
  it('says a body of white space is empty', () => {
    expect(decodeBody(' \n\t').problems).toEqual(['empty body']);
  });

  it('names a records field that is null', () => {
    expect(decodeBody({ records: null }).problems).toEqual(['body.records: expected an array, got null']);
  });

  it('takes the items of an EventList and the rows of a query answer as records', () => {
    expect(decodeBody({ kind: 'EventList', items: [r1, 7, null] })).toEqual({
      records: [r1],
      problems: ['body.items[1]: number is not a record', 'body.items[2]: null is not a record'],
    });
    const answer = {
      tables: [{ columns: [{ name: 'operationName' }, { name: 'time' }], rows: [['A', r1.time]] }],
    };
    expect(decodeBody(answer).records).toEqual([r1]);
  });
});
