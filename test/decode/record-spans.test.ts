import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recordSpans, type RecordSpans } from '../../src/decode/record-spans.js';

/** Without the bracket index: the byte walk that bodies over its bound take. */
const WALK = (): undefined => undefined;

function texts(body: Buffer, found: RecordSpans | undefined): string[] | undefined {
  return found?.spans.map(([start, end]) => body.toString('utf8', start, end));
}

const r1 = { operationName: 'A', properties: { log: '{"verb":"create","x":["}"]}\n' } };
const r2 = { operationName: 'B', tags: ['[', '{', '"\\'] };

describe('recordSpans', () => {
  it('finds each record of an export envelope, as written', () => {
    for (const brackets of [undefined, WALK]) {
      const body = Buffer.from(JSON.stringify({ records: [r1, r2] }));
      const found = recordSpans(body, brackets);
      expect(texts(body, found)).toEqual([JSON.stringify(r1), JSON.stringify(r2)]);
      expect(found?.brokenAt).toBeUndefined();
    }
  });

  it('reads white space, a byte-order mark, other keys and a key spelt with escapes as JSON does', () => {
    const text = `\ufeff \r\n{ "before" : {"records":[{"x":1}]} ,\t"rec\\u006frds" :\n[ ${JSON.stringify(r1)} ,\n${JSON.stringify(r2, null, 2)}\n] , "after": [1, "]"] }\n`;
    const body = Buffer.from(text);
    for (const brackets of [undefined, WALK]) {
      const found = recordSpans(body, brackets);
      expect(texts(body, found)?.map((t) => JSON.parse(t) as unknown)).toEqual([r1, r2]);
      expect(found?.brokenAt).toBeUndefined();
    }
  });

  it.each([
    ['an array of records', JSON.stringify([r1])],
    ['a lone record', JSON.stringify(r1)],
    ['an empty object', '{}'],
    ['records that are no array', '{"records":{"a":[1]}}'],
    ['records holding something besides objects', JSON.stringify({ records: [r1, 42, r2] })],
    ['records given twice (JSON keeps the last)', '{"records":[{"a":1}],"records":[{"b":2}]}'],
    ['no records key', '{"items":[{"a":1}]}'],
    ['text in UTF-16', Buffer.from(JSON.stringify({ records: [r1] }), 'utf16le')],
    ['nothing', ''],
  ])('leaves %s to the whole parse', (_name, body) => {
    for (const brackets of [undefined, WALK])
      expect(recordSpans(typeof body === 'string' ? Buffer.from(body) : body, brackets)).toBeUndefined();
  });

  it('says where a cut or spoilt body stops being JSON, after its whole records', () => {
    const whole = JSON.stringify({ records: [r1, r2, r1] });
    const cut = Buffer.from(whole.slice(0, whole.lastIndexOf('{"operationName"') + 20));
    const spoilt = Buffer.from(`${whole.slice(0, -1)} x}`);
    for (const brackets of [undefined, WALK]) {
      expect(recordSpans(cut, brackets)).toEqual({
        spans: recordSpans(Buffer.from(whole), brackets)?.spans.slice(0, 2),
        brokenAt: cut.length,
      });
      expect(recordSpans(spoilt, brackets)?.brokenAt).toBe(spoilt.length - 2);
      expect(recordSpans(spoilt, brackets)?.spans).toHaveLength(3);
      // A cut before the records' array: nothing read, and nothing to say of records.
      expect(recordSpans(Buffer.from('{"records"'), brackets)).toBeUndefined();
      expect(recordSpans(Buffer.from('{"records":['), brackets)).toEqual({ spans: [], brokenAt: 12 });
    }
  });

  it('breaks a body at an element that starts no JSON value, as at a cut, the records before it kept', () => {
    for (const brackets of [undefined, WALK])
      for (const stray of ['x', '\\', ']', '\u00ff', '}'])
        expect(recordSpans(Buffer.from(`{"records":[{"a":1},${stray}{"b":2}]}`), brackets)).toEqual({
          spans: [[12, 19]],
          brokenAt: 20,
        });
  });

  it('indexes a body only once it shows itself an envelope', () => {
    const asked: number[] = [];
    const spy = (bytes: Uint8Array): undefined => {
      asked.push(bytes.length);
      return undefined;
    };
    expect(recordSpans(Buffer.from(JSON.stringify(r1)), spy)).toBeUndefined();
    expect(recordSpans(Buffer.from('{"tables":[{"rows":[[1]]}]}'), spy)).toBeUndefined();
    expect(asked).toEqual([]);
    const envelope = Buffer.from(JSON.stringify({ records: [r1] }));
    expect(texts(envelope, recordSpans(envelope, spy))).toEqual([JSON.stringify(r1)]);
    expect(asked).toEqual([envelope.length]);
  });

  it.each(['"x"', '[1]', '-1', '0', '9', 'true', 'false', 'null'])(
    'leaves records holding %s to the whole parse, which names it',
    (element) => {
      for (const brackets of [undefined, WALK])
        expect(recordSpans(Buffer.from(`{"records":[{"a":1},${element}]}`), brackets)).toBeUndefined();
    },
  );

  it.each([
    ['a byte that starts no value', '{"records":[{"a":1},X{"b":2}]}', 20],
    ['a sign JSON numbers do not take', '{"records":[{"a":1},+1]}', 20],
    ['two records without a comma', '{"records":[{"a":1} {"b":2}]}', 20],
    ['a key that is no string', '{"records":[{"a":1}],:1}', 21],
    ['bytes after the envelope', '{"records":[{"a":1}]} x', 22],
    ['a member with no value', '{"records":[{"a":1}],"n":,"m":1}', 25],
  ])('stops at %s, after the whole records', (_name, text, brokenAt) => {
    for (const brackets of [undefined, WALK])
      expect(recordSpans(Buffer.from(text), brackets)).toEqual({ spans: [[12, 19]], brokenAt });
  });

  it.each([
    ['a quote', '{"n":tru"e","records":[{}]}'],
    ['a backslash', '{"n":1\\,"records":[{}]}'],
    ['a space', '{"n":1 2,"records":[{}]}'],
    ['a line feed', '{"n":1\n2,"records":[{}]}'],
    ['a carriage return', '{"n":1\r2,"records":[{}]}'],
    ['a tab', '{"n":1\t2,"records":[{}]}'],
    ['nothing', '{"n":,"records":[{}]}'],
  ])('ends a bare value before the records at %s, and breaks there', (_name, text) => {
    for (const brackets of [undefined, WALK])
      expect(recordSpans(Buffer.from(text), brackets)).toBeUndefined();
  });

  it('takes a key as written when it holds no escape, even one JSON would refuse', () => {
    const body = Buffer.from('{"a\tb":1,"records":[{"a":1}]}');
    expect(recordSpans(body)).toEqual({ spans: [[20, 27]] });
  });

  it.each([
    [[0x20, 0x09, 0xbf]],
    [[0x20, 0xbb, 0xbf]],
    [[0xef, 0x20, 0x20]],
    [[0xef, 0x20, 0xbf]],
    [[0xef, 0xbb, 0x20]],
  ])('reads no byte-order mark into %j, three bytes that are not one', (head) => {
    const body = Buffer.concat([Buffer.from(head), Buffer.from('{"records":[{"a":1}]}')]);
    for (const brackets of [undefined, WALK]) expect(recordSpans(body, brackets)).toBeUndefined();
  });

  const white = fc.constantFrom('', ' ', '\n', '\t', '\r\n  ');
  const envelope = fc
    .record({
      records: fc.array(fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue(), { maxKeys: 5 }), {
        maxLength: 8,
      }),
      before: fc.option(fc.jsonValue(), { nil: undefined }),
      after: fc.option(fc.jsonValue(), { nil: undefined }),
      white: fc.array(white, { minLength: 10, maxLength: 10 }),
      indent: fc.constantFrom(undefined, 1),
      bom: fc.boolean(),
      escapedKey: fc.boolean(),
    })
    .map(({ records, before, after, white: w, indent, bom, escapedKey }) => {
      const member = (key: string, value: unknown): string =>
        `"${key}"${w[0] ?? ''}:${w[1] ?? ''}${JSON.stringify(value, null, indent)},${w[2] ?? ''}`;
      const items = records.map((r) => JSON.stringify(r, null, indent)).join(`${w[3] ?? ''},${w[4] ?? ''}`);
      const text = `${w[5] ?? ''}{${w[6] ?? ''}${before === undefined ? '' : member('before', before)}"${escapedKey ? 'rec\\u006Frds' : 'records'}"${w[7] ?? ''}:[${w[8] ?? ''}${items}]${after === undefined ? '' : `,${member('after', after).slice(0, -1 - (w[2] ?? '').length)}`}}${w[9] ?? ''}`;
      return { text, body: Buffer.from(bom ? `\ufeff${text}` : text) };
    });

  it('gives exactly the elements JSON.parse reads, whatever the strings hold', () => {
    fc.assert(
      fc.property(envelope, ({ text, body }) => {
        const { records } = JSON.parse(text) as { records: unknown[] };
        for (const brackets of [undefined, WALK]) {
          const found = recordSpans(body, brackets);
          expect(found?.brokenAt).toBeUndefined();
          expect(texts(body, found)?.map((t) => JSON.parse(t) as unknown)).toEqual(records);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('reads a body cut anywhere as far as its whole records go', () => {
    fc.assert(
      fc.property(envelope, fc.double({ min: 0, max: 1, noNaN: true }), ({ body }, place) => {
        const whole = recordSpans(body);
        const cut = body.subarray(0, Math.floor(place * body.length));
        // Cutting only white space off the end leaves the body whole.
        if (cut.toString('utf8').trimEnd() === body.toString('utf8').trimEnd()) return;
        for (const brackets of [undefined, WALK]) {
          const found = recordSpans(cut, brackets);
          if (found === undefined) continue;
          expect(found.brokenAt).toBeDefined();
          expect(found.spans).toEqual(whole?.spans.slice(0, found.spans.length));
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('finds the same records with the index as by walking the bytes, on any bytes', () => {
    const hostile = fc
      .array(
        fc.constantFrom('\\', '"', '{', '}', '[', ']', ',', ':', ' ', 'a', '1', '"records"', 'records'),
        {
          maxLength: 120,
          size: 'max',
        },
      )
      .map((parts) => Buffer.from(`{"records":[${parts.join('')}`));
    fc.assert(
      fc.property(hostile, (body) => {
        expect(recordSpans(body)).toEqual(recordSpans(body, WALK));
      }),
      { numRuns: 3000 },
    );
  });
});
