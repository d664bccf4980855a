import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { formatYamlPath, type SigmaRuleError } from '../../src/sigma/diagnostics.js';
import { parseRule } from '../../src/sigma/parse-rule.js';
import { lintYaml, matches, parseYamlRule, ruleYaml } from '../helpers/rules.js';

/** The typed rule a rule document parses to: detections, the condition, and metadata read defensively. */

const CRONJOB = { verb: 'create', objectRef: { resource: 'cronjobs', namespace: 'kube-system' } };

/** What parseRule throws for a detection the schema would have refused first (parseRule is also called directly). */
const errorOf = (detection: string) => {
  try {
    parseYamlRule(ruleYaml(detection, 'product: kubernetes\n    service: audit'));
  } catch (error) {
    const { code, message, yamlPath } = error as SigmaRuleError;
    return [code, message, formatYamlPath(yamlPath)];
  }
  throw new Error('no error');
};

describe('search identifiers', () => {
  it('a keyword given alone searches every string of the record', () => {
    expect(matches("keywords: 'kube-system'\ncondition: keywords", CRONJOB)).toBe(true);
    expect(matches("keywords: 'default'\ncondition: keywords", CRONJOB)).toBe(false);
    expect(matches('keywords: 1234\ncondition: keywords', { code: 'x1234y' })).toBe(true);
  });

  it('a list of keywords is one item: any keyword', () => {
    const rule = parseYamlRule(ruleYaml('keywords:\n  - kube-system\n  - default\ncondition: keywords'));
    expect(rule.detections.get('keywords')).toEqual({
      kind: 'all',
      items: [
        {
          field: null,
          modifiers: [],
          values: ['kube-system', 'default'],
          yamlPath: ['detection', 'keywords'],
        },
      ],
    });
  });

  it('a list mixing maps and keywords: each element is an alternative, with its own path', () => {
    const detection = 'sel:\n  - verb: delete\n  - kube-system\ncondition: sel';
    expect(matches(detection, CRONJOB)).toBe(true);
    expect(matches(detection, { ...CRONJOB, objectRef: { namespace: 'default' } })).toBe(false);
    expect(matches(detection, { verb: 'delete' })).toBe(true);
    const rule = parseYamlRule(ruleYaml(detection));
    expect(rule.detections.get('sel')).toEqual({
      kind: 'any',
      alternatives: [
        {
          kind: 'all',
          items: [
            { field: 'verb', modifiers: [], values: ['delete'], yamlPath: ['detection', 'sel', 0, 'verb'] },
          ],
        },
        {
          kind: 'all',
          items: [{ field: null, modifiers: [], values: ['kube-system'], yamlPath: ['detection', 'sel', 1] }],
        },
      ],
    });
  });

  it('a list holding a list is an error naming the element', () => {
    expect(errorOf('sel:\n  - verb: delete\n  - [a, b]\ncondition: sel')).toEqual([
      'invalid-value',
      'a list under a search identifier holds keywords or maps',
      'detection.sel[1]',
    ]);
  });

  it('a field value that is a map is an error naming the value', () => {
    expect(errorOf('sel:\n  verb:\n    - create\n    - {a: b}\ncondition: sel')).toEqual([
      'invalid-value',
      'a field value must be a string, number, boolean or null',
      'detection.sel.verb[1]',
    ]);
  });

  it('an empty map matches nothing, and says so', () => {
    expect(errorOf('sel: {}\ncondition: sel')).toEqual([
      'invalid-value',
      'an empty map matches nothing',
      'detection.sel',
    ]);
  });

  it('a search identifier that is a boolean or null is an error', () => {
    for (const value of ['true', 'null']) {
      expect(errorOf(`sel: ${value}\ncondition: sel`)).toEqual([
        'invalid-value',
        'a search identifier must be a map, a list or a keyword',
        'detection.sel',
      ]);
    }
  });

  it('the condition is not a search identifier, whatever "them" selects', () => {
    const rule = parseYamlRule(ruleYaml('sel:\n  verb: delete\ncondition: 1 of them'));
    expect([...rule.detections.keys()]).toEqual(['sel']);
    expect(matches('sel:\n  verb: delete\ncondition: 1 of them', { verb: 'create', note: '1 of them' })).toBe(
      false,
    );
  });
});

describe('the condition', () => {
  it('a list of conditions is their OR', () => {
    const detection = 'a:\n  verb: create\nb:\n  verb: delete\ncondition:\n  - a\n  - b';
    expect(matches(detection, { verb: 'create' })).toBe(true);
    expect(matches(detection, { verb: 'delete' })).toBe(true);
    expect(matches(detection, { verb: 'get' })).toBe(false);
    expect(parseYamlRule(ruleYaml(detection)).condition).toEqual({
      kind: 'or',
      children: [
        { kind: 'ref', name: 'a' },
        { kind: 'ref', name: 'b' },
      ],
    });
  });

  it('a list of one condition is that condition', () => {
    expect(parseYamlRule(ruleYaml('a:\n  verb: create\ncondition:\n  - a')).condition).toEqual({
      kind: 'ref',
      name: 'a',
    });
  });

  it('an error in the second condition of a list names it', () => {
    const report = lintYaml(ruleYaml('a:\n  verb: create\ncondition:\n  - a\n  - a and'));
    expect(report.diagnostics[0]?.location.yamlPath).toBe('detection.condition[1]');
  });

  it('timeframe is refused as an optional feature this engine lacks', () => {
    const report = lintYaml(ruleYaml('sel:\n  verb: create\ntimeframe: 5m\ncondition: sel'));
    expect(report.status).toBe('error');
    const [diagnostic] = report.diagnostics;
    expect(diagnostic).toMatchObject({
      code: 'unsupported-feature',
      message: '"timeframe" belongs to aggregations and correlations, which this engine does not evaluate',
      feature: 'timeframe',
      optionalInSpec: true,
      location: { yamlPath: 'detection.timeframe' },
    });
  });
});

describe('metadata, read defensively', () => {
  const document = (extra: string) =>
    parse(
      `${ruleYaml('sel:\n  verb: create\ncondition: sel', 'product: kubernetes\n    service: audit')}${extra}`,
    ) as Record<string, unknown>;

  it('a well-formed rule keeps what it says', () => {
    const rule = parseRule(
      document('tags:\n  - attack.persistence\n  - attack.t1053.007\nfalsepositives:\n  - backup jobs\n'),
      'rules/r.yml',
    );
    expect(rule).toMatchObject({
      file: 'rules/r.yml',
      id: '9a0f1a52-8d47-4b2e-9a6f-0c1d2e3f4a5b',
      title: 'test rule',
      level: 'high',
      status: 'test',
      tags: ['attack.persistence', 'attack.t1053.007'],
      logsource: { product: 'kubernetes', service: 'audit' },
      falsepositives: ['backup jobs'],
    });
  });

  it('a single falsepositives text is a list of one', () => {
    expect(parseRule(document('falsepositives: backup jobs\n'), 'r.yml').falsepositives).toEqual([
      'backup jobs',
    ]);
  });

  it('values of the wrong type are left out, not kept', () => {
    const doc = {
      ...document('tags:\n  - attack.persistence\n  - 7\nfalsepositives:\n  - 3\n  - backup jobs\n'),
      id: 42,
      status: ['test'],
      level: 'severe',
      logsource: { product: 'kubernetes', service: 7, category: null },
    };
    const rule = parseRule(doc, 'r.yml');
    expect([rule.id, rule.status, rule.level, rule.tags, rule.falsepositives, rule.logsource]).toEqual([
      undefined,
      undefined,
      undefined,
      ['attack.persistence'],
      ['backup jobs'],
      { product: 'kubernetes' },
    ]);
    expect(Object.hasOwn(rule.logsource, 'service')).toBe(false);
  });

  it('tags or falsepositives that are no list are empty', () => {
    const rule = parseRule({ ...document(''), tags: 'attack.persistence', falsepositives: 5 }, 'r.yml');
    expect([rule.tags, rule.falsepositives]).toEqual([[], []]);
  });
});
