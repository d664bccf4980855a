import { describe, expect, it } from 'vitest';
import { JsonEventDocument } from '../../src/sigma/event-document.js';
import { compileYaml, lintYaml, ruleYaml } from '../helpers/rules.js';

/** A compiled rule: its test, the fields it reads, and what it says about a match. */

const WRITE = {
  verb: 'create',
  objectRef: { resource: 'cronjobs', namespace: 'kube-system' },
  user: { username: 'mallory@contoso.example', groups: ['system:authenticated', 'devs'] },
  responseStatus: { code: 201 },
  requestObject: { kind: 'CronJob' },
};

const DETECTION = [
  'sel:',
  '  verb: create',
  '  objectRef.resource: cronjobs',
  'filter:',
  '  verb: create',
  "  user.username|startswith: 'system:'",
  'groups:',
  '  user.groups: devs',
  'code:',
  '  responseStatus.code: 201',
  'body:',
  '  requestObject|exists: true',
  'condition: sel and not filter',
].join('\n');

describe('explain', () => {
  it('lists the search identifiers that hold, each with the values of the fields it reads', () => {
    const explained = compileYaml(DETECTION).explain(new JsonEventDocument(WRITE));
    expect(explained).toEqual({
      sel: { verb: 'create', 'objectRef.resource': 'cronjobs' },
      groups: { 'user.groups': ['system:authenticated', 'devs'] },
      code: { 'responseStatus.code': '201' },
      body: { requestObject: { kind: 'CronJob' } },
    });
  });

  it('leaves out a field the record does not have', () => {
    const compiled = compileYaml('sel:\n  - verb: create\n  - user.username: nobody\ncondition: sel');
    expect(compiled.explain(new JsonEventDocument({ verb: 'create' }))).toEqual({ sel: { verb: 'create' } });
  });

  it('a keyword search holds with no field to show', () => {
    const compiled = compileYaml("keywords: 'kube-system'\ncondition: keywords");
    expect(compiled.explain(new JsonEventDocument(WRITE))).toEqual({ keywords: {} });
  });

  it('a field named __proto__ stays data', () => {
    const compiled = compileYaml("sel:\n  __proto__: 'x'\ncondition: sel");
    const explained = compiled.explain(
      new JsonEventDocument(JSON.parse('{"__proto__":"x"}') as Record<string, unknown>),
    );
    expect(Object.getPrototypeOf(explained['sel'])).toBe(Object.prototype);
    expect(Object.hasOwn(explained['sel'] ?? {}, '__proto__')).toBe(true);
  });
});

describe('test', () => {
  it('a map is the AND of its items', () => {
    const compiled = compileYaml(DETECTION);
    expect(compiled.test(new JsonEventDocument(WRITE))).toBe(true);
    expect(compiled.test(new JsonEventDocument({ ...WRITE, objectRef: { resource: 'jobs' } }))).toBe(false);
    expect(compiled.test(new JsonEventDocument({ ...WRITE, user: { username: 'system:admin' } }))).toBe(
      false,
    );
  });
});

describe('fields', () => {
  it('every field the detections read, once each, in order of first use', () => {
    expect(compileYaml(DETECTION).fields.map((f) => f.name)).toEqual([
      'verb',
      'objectRef.resource',
      'user.username',
      'user.groups',
      'responseStatus.code',
      'requestObject',
    ]);
  });

  it('a keyword search reads no field', () => {
    expect(
      compileYaml("keywords: 'x'\nsel:\n  verb: get\ncondition: keywords or sel").fields.map((f) => f.name),
    ).toEqual(['verb']);
  });
});

describe('condition errors', () => {
  const diagnostic = (condition: string) => {
    const [first] = lintYaml(ruleYaml(`sel_a:\n  verb: create\n${condition}`)).diagnostics;
    return [first?.code, first?.message, first?.location.yamlPath];
  };

  it('a name that is no search identifier', () => {
    expect(diagnostic('condition: sel_a and sel_b')).toEqual([
      'unknown-identifier',
      'the condition names "sel_b", which is not a search identifier of this rule',
      'detection.condition',
    ]);
  });

  it('an "of" that selects nothing names its pattern, or "them"', () => {
    expect(diagnostic('condition: 1 of filter*')).toEqual([
      'unknown-identifier',
      '"of filter*" selects no search identifier of this rule',
      'detection.condition',
    ]);
    const [first] = lintYaml(ruleYaml('_aux:\n  verb: create\ncondition: all of them')).diagnostics;
    expect(first?.message).toBe('"of them" selects no search identifier of this rule');
  });
});
