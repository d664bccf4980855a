import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fitsJsonString,
  jsonBytes,
  jsonStringBytes,
  jsonTextBytes,
} from '../../src/findings/bound/json-size.js';

/** What the sizes promise: the UTF-8 length of the JSON text the row will hold. */
const utf8 = (text: string) => Buffer.byteLength(text, 'utf8');

/** Texts that an audit record carries, each costing differently once escaped. */
const TEXTS: Record<string, string> = {
  empty: '',
  ascii: 'system:serviceaccount:kube-system:cronjob-controller',
  quote: 'echo "pwned"',
  backslash: 'C:\\Windows\\System32',
  'short escapes': 'a\bb\tc\nd\fe\rf',
  'other controls': '\u0000\u0001\u001f\u007f',
  'two-byte': 'é café',
  'three-byte': '€ — …',
  'surrogate pair': '𝄞 clef',
  'lone high surrogate': 'x\ud800y',
  'lone low surrogate': 'x\udc00y',
  'high surrogate at the end': 'x\ud834',
  'low surrogate at the start': '\udd1ex',
};

describe('jsonStringBytes: the UTF-8 size of a string as JSON', () => {
  for (const [name, text] of Object.entries(TEXTS)) {
    it(`${name}: as JSON.stringify writes it`, () => {
      expect(jsonStringBytes(text)).toBe(utf8(JSON.stringify(text)));
    });
  }

  it('counts a text twice in a row the same (no state kept between calls)', () => {
    const text = 'a"b\\c\u0001';
    expect([jsonStringBytes(text), jsonStringBytes(text)]).toEqual([15, 15]);
  });
});

describe('jsonBytes: the UTF-8 size of a value as JSON', () => {
  const VALUES: Record<string, unknown> = {
    null: null,
    true: true,
    false: false,
    integer: 403,
    negative: -1.5,
    string: 'kube-system',
    'empty list': [],
    'one-element list': ['alpine'],
    list: ['alpine', 3, null, true],
    'empty object': {},
    'one-key object': { verb: 'create' },
    object: { verb: 'create', code: 201, ok: true, user: { username: 'mallory', groups: ['a', 'b'] } },
    'escaped key': { 'a"b': 1, 'c\nd': 'e' },
    'nested lists': [[[]], [{}], [[1, 2], [3]]],
  };
  for (const [name, value] of Object.entries(VALUES)) {
    it(`${name}: as JSON.stringify writes it`, () => {
      expect(jsonBytes(value)).toBe(utf8(JSON.stringify(value)));
    });
  }

  it('an undefined list element counts as null, an undefined property not at all', () => {
    expect(jsonBytes(['a', undefined])).toBe(utf8(JSON.stringify(['a', undefined])));
    expect(jsonBytes({ a: undefined, b: 1 })).toBe(utf8(JSON.stringify({ a: undefined, b: 1 })));
    expect(jsonBytes({ b: 1, a: undefined })).toBe(7);
    expect(jsonBytes(undefined)).toBe(4);
  });
});

describe('jsonTextBytes: the size of a record kept as JSON text in a string column', () => {
  const RECORDS: Record<string, unknown> = {
    string: 'plain',
    'string with escapes': 'a"b\\c\nd\u0001e',
    number: 42,
    null: null,
    list: ['a"b', 1, ['c\\d']],
    'audit record': {
      category: 'kube-audit',
      properties: { log: '{"verb":"create","user":{"username":"mallory"}}\n', pod: 'kube-apiserver-0' },
    },
    'escaped keys': { 'a"b': { 'c\\d': 'e\tf' } },
    'undefined property': { a: undefined, b: 'x' },
  };
  for (const [name, value] of Object.entries(RECORDS)) {
    it(`${name}: as JSON.stringify(JSON.stringify(value)) writes it`, () => {
      expect(jsonTextBytes(value)).toBe(utf8(JSON.stringify(JSON.stringify(value))));
    });
  }
});

describe('fitsJsonString', () => {
  it('fits a text whose JSON takes exactly the allowance, and not one byte less', () => {
    // "a\"b" is 6 bytes as JSON: two quotes, a, an escaped quote, b.
    expect(fitsJsonString('a"b', 6)).toBe(true);
    expect(fitsJsonString('a"b', 5)).toBe(false);
  });

  it('counts escapes and multi-byte characters, not UTF-16 units', () => {
    // A control character takes six bytes (\u0001), é two, an emoji (two units) four.
    expect(fitsJsonString('\u0001', 8)).toBe(true);
    expect(fitsJsonString('\u0001', 7)).toBe(false);
    expect(fitsJsonString('é😀', 8)).toBe(true);
    expect(fitsJsonString('é😀', 7)).toBe(false);
  });

  it('fits without measuring only a text that fits whatever its characters', () => {
    // Six bytes a unit at most: 10 control characters are 62 bytes of JSON, 10 letters 12.
    expect(fitsJsonString('\u0001'.repeat(10), 62)).toBe(true);
    expect(fitsJsonString('\u0001'.repeat(10), 61)).toBe(false);
    expect(fitsJsonString('a'.repeat(10), 61)).toBe(true);
    expect(fitsJsonString('a'.repeat(10), 12)).toBe(true);
    expect(fitsJsonString('a'.repeat(10), 11)).toBe(false);
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 40 }),
        fc.integer({ min: 0, max: 300 }),
        (text, max) => {
          expect(fitsJsonString(text, max)).toBe(utf8(JSON.stringify(text)) <= max);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('rules a text longer than the allowance out by its length', () => {
    expect(fitsJsonString('x'.repeat(1_000_000), 1000)).toBe(false);
    expect(fitsJsonString('x'.repeat(998), 1000)).toBe(true);
    expect(fitsJsonString('x'.repeat(999), 1000)).toBe(false);
  });
});

describe('jsonTextBytes of undefined', () => {
  it('counts the "null" text a missing record is written as', () => {
    expect(jsonTextBytes(undefined)).toBe(utf8(JSON.stringify('null')));
  });
});
