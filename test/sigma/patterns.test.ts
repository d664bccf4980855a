import { describe, expect, it } from 'vitest';
import { JsonEventDocument, normaliseText, scalarText } from '../../src/sigma/event-document.js';
import { fieldPath } from '../../src/sigma/field-path.js';
import { parseSigmaString, plainText } from '../../src/sigma/sigma-string.js';
import { matches } from '../helpers/rules.js';

const glob = (pattern: string, value: string) =>
  matches(`sel:\n  f: '${pattern}'\ncondition: sel`, { f: value });

describe('wildcards next to "?"', () => {
  it.each([
    ['?*', 'a', ''],
    ['a?', 'ab', 'a'],
    ['ab?', 'abc', 'abcd'],
    ['a?*', 'ab', 'a'],
    ['?b', 'ab', 'b'],
    ['*?b', 'ab', 'b'],
    ['?a*', 'ba', 'a'],
    ['*a?', 'ab', 'a'],
  ])('%s matches %s and not %s', (pattern, yes, no) => {
    expect([glob(pattern, yes), glob(pattern, no)]).toEqual([true, false]);
  });

  it('folds case by lower-casing: ß is not ss', () => {
    expect([glob('straße', 'STRASSE'), glob('STRASSE', 'straße'), glob('straße', 'STRAßE')]).toEqual([
      false,
      false,
      true,
    ]);
  });
});

describe('plain text of a Sigma string', () => {
  it('is the text with escapes resolved, and none when it holds a wildcard', () => {
    expect(['a\\*b', 'a*b', 'a?', 'ab'].map((s) => plainText(parseSigmaString(s)))).toEqual([
      'a*b',
      undefined,
      undefined,
      'ab',
    ]);
  });
});

describe('event documents', () => {
  it('report a field nested deeper than they read, once, and read what lies above', () => {
    let deep: unknown = 'too deep';
    for (let i = 0; i < 300; i++) deep = [deep];
    const document = new JsonEventDocument({ f: deep, g: 'x' });
    expect(document.get(fieldPath('f'))).toEqual({ present: true, values: [], tooDeep: true });
    document.get(fieldPath('f'));
    expect(document.get(fieldPath('g')).values).toEqual(['x']);
    expect(document.limitsExceeded()).toEqual(['field f: nested deeper than 256 levels, not read below']);
    expect(new JsonEventDocument({ g: 'x' }).limitsExceeded()).toEqual([]);
  });

  it('search keywords down to 64 levels, and report a record nested deeper', () => {
    let node: unknown = { s: 'below the bound' };
    for (let i = 0; i < 70; i++) node = { n: node };
    const deep = new JsonEventDocument({ top: 'at the top', n: node, empty: {} });
    expect(deep.keywordTexts('folded')).toEqual(['at the top']);
    expect(deep.limitsExceeded()).toEqual([
      'keywords: the record nests deeper than 64 levels, not searched below',
    ]);
    let shallow: unknown = { s: 'Within', e: {} };
    for (let i = 0; i < 60; i++) shallow = { n: shallow, e: [] };
    const document = new JsonEventDocument({ top: 'Top', n: shallow });
    expect(document.keywordTexts('folded')).toEqual(['top', 'within']);
    expect(document.keywordTexts('cased')).toEqual(['Top', 'Within']);
    expect(document.limitsExceeded()).toEqual([]);
  });

  it('read no key of a string, and no key named undefined', () => {
    const document = new JsonEventDocument({ name: 'abc', f: { undefined: 'x' } });
    expect(['name.length', 'name.0', 'f.g'].map((name) => document.get(fieldPath(name)).present)).toEqual([
      false,
      false,
      false,
    ]);
  });

  it('give text forms of scalars, and normalise dashes keeping or folding case', () => {
    expect([scalarText('a'), scalarText(5), scalarText(false), scalarText(10n), scalarText(null)]).toEqual([
      'a',
      '5',
      'false',
      '10',
      undefined,
    ]);
    expect(
      (['cased', 'folded', 'cased-windash', 'folded-windash'] as const).map((form) =>
        normaliseText('A–B/C', form),
      ),
    ).toEqual(['A–B/C', 'a–b/c', 'A-B-C', 'a-b-c']);
  });
});
