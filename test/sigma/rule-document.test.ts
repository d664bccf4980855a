import { describe, expect, it } from 'vitest';
import { parseRuleFile, ruleFileFromValues } from '../../src/sigma/rule-document.js';
import { checkRuleSchema } from '../../src/sigma/validate.js';
import { ruleYaml } from '../helpers/rules.js';

/** Rule files as YAML text: documents, syntax errors, and where a YAML path points. */

const RULE = ruleYaml(
  'sel:\n  verb: create\n  objectRef.resource|endswith:\n    - cronjobs\n    - jobs\ncondition: sel',
);

const documents = (text: string) => {
  const parsed = parseRuleFile(text, 'rules/r.yml');
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.documents;
};

describe('parseRuleFile', () => {
  it('one rule: its value, as YAML gives it', () => {
    const [doc] = documents(RULE);
    expect(doc?.value).toMatchObject({ title: 'test rule', detection: { condition: 'sel' } });
  });

  it('several documents, each a value', () => {
    const docs = documents(`${RULE}---\ntitle: second\n`);
    expect(docs.map((d) => (d.value as Record<string, unknown>)['title'])).toEqual(['test rule', 'second']);
  });

  it('a syntax error: its first line, where it is', () => {
    const parsed = parseRuleFile('title: a\ndetection: [unclosed\n', 'rules/bad.yml');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.location).toMatchObject({ file: 'rules/bad.yml', yamlPath: '(document)', line: 3 });
    expect(parsed.message).toMatch(/^YAML syntax: [^\n]+$/);
  });

  it('a key given twice is a syntax error', () => {
    const parsed = parseRuleFile('title: a\ntitle: b\n', 'rules/dup.yml');
    expect(parsed).toMatchObject({ ok: false, location: { line: 2, column: 1 } });
  });

  it('an error in the second document is found too', () => {
    const parsed = parseRuleFile(`${RULE}---\ntitle: [x\n`, 'rules/two.yml');
    expect(parsed.ok).toBe(false);
  });

  it('aliases beyond 100 are refused (a billion laughs is not expanded)', () => {
    const laughs = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++)
      laughs.push(
        `${'b'.repeat(i)}: &${'b'.repeat(i)} [${Array(10)
          .fill(i === 1 ? '*a' : `*${'b'.repeat(i - 1)}`)
          .join(', ')}]`,
      );
    expect(() => parseRuleFile(`${laughs.join('\n')}\n`, 'rules/laughs.yml')).toThrow(
      /Excessive alias count/,
    );
  });
});

describe('locate', () => {
  const [doc] = documents(RULE);
  it.each([
    [['title'], { yamlPath: 'title', line: 1, column: 1 }],
    [['detection', 'sel', 'verb'], { yamlPath: 'detection.sel.verb', line: 9, column: 7 }],
    [
      ['detection', 'sel', 'objectRef.resource|endswith', 1],
      { yamlPath: 'detection.sel.objectRef.resource|endswith[1]', line: 12, column: 11 },
    ],
    // Past what the document has: the deepest node that exists.
    [
      ['detection', 'sel', 'objectRef.resource|endswith', 5],
      { yamlPath: 'detection.sel.objectRef.resource|endswith[5]', line: 10, column: 7 },
    ],
    [['detection', 'nothing', 'here'], { yamlPath: 'detection.nothing.here', line: 7, column: 1 }],
    [['title', 'deeper'], { yamlPath: 'title.deeper', line: 1, column: 1 }],
    [['detection', 'sel', 'verb', 0], { yamlPath: 'detection.sel.verb[0]', line: 9, column: 7 }],
    [[], { yamlPath: '(document)', line: 1, column: 1 }],
  ] as const)('%j', (path, location) => {
    expect(doc?.locate(path)).toEqual({ file: 'rules/r.yml', ...location });
  });
});

describe('ruleFileFromValues', () => {
  it('gives the values it was given, and locates in the text only when asked', () => {
    const value = { title: 'cached' };
    const cached = ruleFileFromValues(RULE, 'rules/r.yml', [value]);
    expect(cached.ok).toBe(true);
    if (!cached.ok) return;
    expect(cached.documents[0]?.value).toBe(value);
    expect(cached.documents[0]?.locate(['detection', 'sel', 'verb'])).toEqual({
      file: 'rules/r.yml',
      yamlPath: 'detection.sel.verb',
      line: 9,
      column: 7,
    });
  });

  it('a value the text has no document for is located by its path alone', () => {
    const cached = ruleFileFromValues(RULE, 'rules/r.yml', [{}, { title: 'extra' }]);
    if (!cached.ok) return;
    expect(cached.documents[1]?.locate(['title'])).toEqual({ file: 'rules/r.yml', yamlPath: 'title' });
  });
});

describe('checkRuleSchema', () => {
  const valid = () => documents(RULE)[0]?.value as Record<string, unknown>;

  it('a valid rule has no problem', () => {
    expect(checkRuleSchema(valid())).toEqual([]);
  });

  it('a wrong enum lists the allowed values', () => {
    expect(checkRuleSchema({ ...valid(), status: 'final' })).toEqual([
      {
        path: ['status'],
        message:
          'must be equal to one of the allowed values (stable, test, experimental, deprecated, unsupported)',
      },
    ]);
  });

  it('paths into lists have numeric indices, keys with / and ~ are unescaped, and alternatives are joined with "or"', () => {
    const rule = valid();
    const problems = checkRuleSchema({
      ...rule,
      tags: ['attack.persistence', 5],
      detection: { ...(rule['detection'] as object), 'a/b~c': { verb: { x: 1 } } },
    });
    expect(problems).toEqual([
      { path: ['detection', 'a/b~c', 'verb'], message: 'must be string,number,boolean,null' },
      { path: ['tags', 1], message: 'must be string' },
      { path: ['detection', 'a/b~c'], message: 'must be array or must be string,number' },
    ]);
  });
});
