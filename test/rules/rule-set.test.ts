import { describe, expect, it } from 'vitest';
import { buildRuleSet } from '../../src/rules/rule-set.js';
import { ruleYaml } from '../helpers/rules.js';

const RULE = ruleYaml('sel:\n  operationName: x\ncondition: sel');

describe('building the rule set', () => {
  it('loads the first of two rules sharing an id and fails the file of the second', () => {
    const { ruleSet, files } = buildRuleSet([
      { path: 'rules/a.yml', text: RULE },
      { path: 'rules/b.yml', text: RULE },
    ]);
    expect(files.map((f) => [f.file, f.status])).toEqual([
      ['rules/a.yml', 'active'],
      ['rules/b.yml', 'error'],
    ]);
    expect(files[1]?.diagnostics).toEqual([
      {
        code: 'duplicate-id',
        message: 'rule id 9a0f1a52-8d47-4b2e-9a6f-0c1d2e3f4a5b is also used by rules/a.yml',
        location: { file: 'rules/b.yml', yamlPath: 'id' },
      },
    ]);
    expect(ruleSet.active).toHaveLength(1);
    expect(ruleSet.notLoaded).toEqual(['rules/b.yml']);
  });

  it('reports a Sigma 1.0 rule collection as a feature it does not support', () => {
    const { files } = buildRuleSet([
      { path: 'rules/c.yml', text: 'action: global\ntitle: x\nlogsource:\n  product: azure\n' },
    ]);
    expect(files).toEqual([
      {
        file: 'rules/c.yml',
        status: 'error',
        rules: [],
        exceptions: [],
        diagnostics: [
          {
            code: 'unsupported-feature',
            message:
              'multi-document rule collections are a Sigma 1.0 feature this engine does not expand; write one rule per document',
            feature: 'rule collections (action: global/reset/repeat)',
            optionalInSpec: true,
            location: { file: 'rules/c.yml', yamlPath: 'action', line: 1, column: 1 },
          },
        ],
      },
    ]);
  });

  it.each([
    [
      'a correlation rule',
      'title: many jobs\ncorrelation:\n  type: event_count\n  rules: [x]\n  timespan: 5m\n  condition:\n    gte: 10\n',
      'correlation',
      'correlation rules',
      'Sigma correlation rules need state across events; this engine evaluates single events',
    ],
    [
      'a Sigma filter, pointing at the exceptions file',
      'title: f\nfilter:\n  rules: [x]\n  selection:\n    a: b\n  condition: not selection\n',
      'filter',
      'Sigma filters',
      'Sigma filters are not evaluated by this engine; use the exceptions file',
    ],
  ])('reports %s as a feature it does not support', (_, text, key, feature, message) => {
    const { files } = buildRuleSet([{ path: 'rules/d.yml', text }]);
    expect(files[0]?.status).toBe('error');
    expect(files[0]?.diagnostics).toEqual([
      {
        code: 'unsupported-feature',
        message,
        feature,
        optionalInSpec: true,
        location: { file: 'rules/d.yml', yamlPath: key, line: 2, column: 1 },
      },
    ]);
  });

  it('reads a rule holding a filter key beside its detection as a rule', () => {
    const withFilter = RULE.replace('detection:', 'filter: kept for the reader\ndetection:');
    const { files } = buildRuleSet([{ path: 'rules/e.yml', text: withFilter }]);
    expect(files[0]?.status).toBe('active');
    expect(files[0]?.rules.map((r) => r.title)).toEqual(['test rule']);
  });

  it('accepts an exceptions file whose list is empty', () => {
    const { ruleSet, files } = buildRuleSet([
      { path: 'rules/site-exceptions.yml', text: 'exceptions: null\n' },
    ]);
    expect(files[0]).toEqual({
      file: 'rules/site-exceptions.yml',
      status: 'exceptions',
      rules: [],
      diagnostics: [],
      exceptions: [],
    });
    expect(ruleSet.exceptions).toEqual([]);
  });

  it('fails an overrides file that breaks its schema, at the override at fault', () => {
    const { files } = buildRuleSet([
      { path: 'rules/a.yml', text: RULE },
      { path: 'rules/o.yml', text: 'overrides:\n  - rule: 9a0f1a52-8d47-4b2e-9a6f-0c1d2e3f4a5b\n' },
    ]);
    expect(files[1]?.status).toBe('error');
    expect(files[1]?.diagnostics).toEqual([
      {
        code: 'schema',
        message: "must have required property 'reason'",
        location: { file: 'rules/o.yml', yamlPath: 'overrides[0]', line: 2, column: 5 },
      },
    ]);
  });

  it('loads two rules without ids: they share no id', () => {
    const noId = RULE.replace('id: 9a0f1a52-8d47-4b2e-9a6f-0c1d2e3f4a5b\n', '');
    const { ruleSet, files } = buildRuleSet([
      { path: 'rules/a.yml', text: noId },
      { path: 'rules/b.yml', text: noId.replace('title: test rule', 'title: other rule') },
    ]);
    expect(files.map((f) => [f.status, f.diagnostics])).toEqual([
      ['active', []],
      ['active', []],
    ]);
    expect(ruleSet.active).toHaveLength(2);
  });

  it('groups active rules by the source they run on, and leaves rules of other products inactive', () => {
    const audit = RULE.replace(
      '9a0f1a52-8d47-4b2e-9a6f-0c1d2e3f4a5b',
      '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d',
    ).replace('product: azure\n    service: activitylogs', 'product: kubernetes\n    service: audit');
    const windows = RULE.replace(
      '9a0f1a52-8d47-4b2e-9a6f-0c1d2e3f4a5b',
      '1c2d3e4f-5061-4b7c-8d9e-0f1a2b3c4d5e',
    ).replace(
      'product: azure\n    service: activitylogs',
      'product: windows\n    category: process_creation',
    );
    const { ruleSet, files } = buildRuleSet([
      { path: 'rules/mixed.yml', text: `${windows}---\n${RULE}` },
      { path: 'rules/audit.yml', text: audit },
      {
        path: 'rules/windows.yml',
        text: windows.replace('1c2d3e4f-5061-4b7c-8d9e-0f1a2b3c4d5e', '2d3e4f50-6172-4c8d-9e0f-1a2b3c4d5e6f'),
      },
    ]);
    expect(files.map((f) => [f.file, f.status])).toEqual([
      ['rules/mixed.yml', 'active'],
      ['rules/audit.yml', 'active'],
      ['rules/windows.yml', 'inactive'],
    ]);
    const ids = (kind: 'AzureActivity' | 'KubeAudit') =>
      ruleSet.bySource.get(kind)?.map((r) => r.metadata.ruleId);
    expect([ids('AzureActivity'), ids('KubeAudit')]).toEqual([
      ['9a0f1a52-8d47-4b2e-9a6f-0c1d2e3f4a5b'],
      ['0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d'],
    ]);
    expect(ruleSet.active.map((r) => r.source)).toEqual(['AzureActivity', 'KubeAudit']);
  });

  it('calls a file without documents inactive, unless it is an exceptions file', () => {
    const status = (path: string, text = '# examples only\n') =>
      buildRuleSet([{ path, text }]).files[0]?.status;
    expect(
      [
        'rules/empty.yml',
        'rules/exceptions.yml',
        'exceptions.yaml',
        'rules/EXCEPTIONS.YML',
        'rules/site-exceptions.yml',
        'rules/exceptions.yml.orig',
      ].map((path) => status(path)),
    ).toEqual(['inactive', 'exceptions', 'exceptions', 'exceptions', 'inactive', 'inactive']);
  });

  it('calls a file holding overrides and a rule active, and applies its overrides', () => {
    const text = `${RULE}---\noverrides:\n  - rule: 9a0f1a52-8d47-4b2e-9a6f-0c1d2e3f4a5b\n    reason: the upstream level is too high\n    level: low\n`;
    const { ruleSet, files } = buildRuleSet([{ path: 'rules/a.yml', text }]);
    expect(files[0]?.status).toBe('active');
    expect(ruleSet.active[0]?.metadata.level).toBe('low');
  });

  it('reads a document with a detection as a rule, even when it has an overrides or exceptions key', () => {
    const { files } = buildRuleSet([
      {
        path: 'rules/a.yml',
        text: RULE.replace('detection:', 'overrides: notes for the reader\ndetection:'),
      },
      {
        path: 'rules/b.yml',
        text: RULE.replace(
          '9a0f1a52-8d47-4b2e-9a6f-0c1d2e3f4a5b',
          '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d',
        ).replace('detection:', 'exceptions: notes for the reader\ndetection:'),
      },
    ]);
    expect(files.map((f) => [f.status, f.rules.length])).toEqual([
      ['active', 1],
      ['active', 1],
    ]);
  });

  it('names an override of an unknown rule at the overrides key of its file', () => {
    const { files } = buildRuleSet([
      {
        path: 'rules/o.yml',
        text: 'overrides:\n  - rule: 00000000-0000-4000-8000-000000000000\n    reason: a typo in the rule id\n',
      },
    ]);
    expect(files[0]?.diagnostics).toEqual([
      {
        code: 'unknown-identifier',
        message: 'metadata override for rule 00000000-0000-4000-8000-000000000000, which no loaded rule has',
        location: { file: 'rules/o.yml', yamlPath: 'overrides' },
      },
    ]);
  });

  it('names a duplicate exception id at the exceptions key of the later file, and keeps the first', () => {
    const text = 'exceptions:\n  - id: same\n    reason: a long enough reason\n    clusters: [a]\n';
    const { ruleSet, files } = buildRuleSet([
      { path: 'a/exceptions.yml', text },
      { path: 'b/exceptions.yml', text },
    ]);
    expect(files[1]?.diagnostics).toEqual([
      {
        code: 'duplicate-id',
        message: 'exception id "same" is also used in a/exceptions.yml',
        location: { file: 'b/exceptions.yml', yamlPath: 'exceptions' },
      },
    ]);
    expect(ruleSet.exceptions.map((e) => [e.id, e.file])).toEqual([['same', 'a/exceptions.yml']]);
  });

  it('applies no exception of a file that has an error', () => {
    const text = `exceptions:\n  - id: kept-out\n    reason: a long enough reason\n    clusters: [a]\n---\ntitle: broken\nlogsource: azure\n`;
    const { ruleSet, files } = buildRuleSet([{ path: 'rules/exceptions.yml', text }]);
    expect(files[0]?.status).toBe('error');
    expect(ruleSet.exceptions).toEqual([]);
  });

  it('reports an exceptions file that breaks its schema with no exception', () => {
    const { files } = buildRuleSet([{ path: 'rules/exceptions.yml', text: 'exceptions:\n  - id: x\n' }]);
    expect(files[0]).toEqual({
      file: 'rules/exceptions.yml',
      status: 'error',
      rules: [],
      exceptions: [],
      diagnostics: [
        {
          code: 'schema',
          message: "must have required property 'reason'",
          location: { file: 'rules/exceptions.yml', yamlPath: 'exceptions[0]', line: 2, column: 5 },
        },
      ],
    });
  });

  it('loads a rule whose metadata breaks the schema, with a warning', () => {
    const { files } = buildRuleSet([
      { path: 'rules/s.yml', text: RULE.replace('status: test', 'status: bogus') },
    ]);
    expect(files[0]?.status).toBe('active');
    expect(files[0]?.diagnostics).toEqual([
      {
        code: 'metadata',
        severity: 'warning',
        message:
          'must be equal to one of the allowed values (stable, test, experimental, deprecated, unsupported)',
        location: { file: 'rules/s.yml', yamlPath: 'status', line: 3, column: 1 },
      },
    ]);
  });

  it('fails a rule whose title, logsource or detection breaks the schema, or that is no mapping', () => {
    const lint = (text: string) => buildRuleSet([{ path: 'rules/r.yml', text }]).files[0];
    const cases = [
      RULE.replace('title: test rule\n', ''),
      RULE.replace('title: test rule', 'title: [a, b]'),
      RULE.replace(/logsource:\n.*\n.*\n/, 'logsource: azure\n'),
      RULE.replace(/detection:\n[\s\S]*?level/, 'detection: sel\nlevel'),
      'just text\n',
      '~\n',
    ].map(lint);
    expect(
      cases.map((f) => [f?.status, f?.diagnostics.map((d) => [d.code, d.severity, d.location.yamlPath])]),
    ).toEqual([
      ['error', [['schema', undefined, '(document)']]],
      ['error', [['schema', undefined, 'title']]],
      ['error', [['schema', undefined, 'logsource']]],
      ['error', [['schema', undefined, 'detection']]],
      ['error', [['schema', undefined, '(document)']]],
      ['error', [['schema', undefined, '(document)']]],
    ]);
  });

  it('says which optional feature a rule needs, and gives other compile errors without one', () => {
    const lint = (detection: string) =>
      buildRuleSet([{ path: 'rules/r.yml', text: ruleYaml(detection) }]).files[0];
    expect(lint('sel:\n  operationName|expand: "%x%"\ncondition: sel')?.diagnostics).toEqual([
      {
        code: 'unsupported-feature',
        message:
          'the "expand" modifier needs placeholder values from a processing pipeline, which this engine does not have',
        feature: 'expand (placeholders)',
        optionalInSpec: true,
        location: { file: 'rules/r.yml', yamlPath: 'detection.sel.operationName|expand', line: 9, column: 7 },
      },
    ]);
    expect(
      lint('sel1:\n  operationName: x\nsel2:\n  resultType: y\ncondition: 2 of sel*')?.diagnostics,
    ).toEqual([
      {
        code: 'unsupported-feature',
        message: '"2 of" is not defined by the Sigma specification (only "1 of", "any of" and "all of")',
        feature: '2 of',
        optionalInSpec: false,
        location: { file: 'rules/r.yml', yamlPath: 'detection.condition', line: 12, column: 5 },
      },
    ]);
    expect(lint('sel:\n  operationName|frobnicate: x\ncondition: sel')?.diagnostics).toEqual([
      {
        code: 'invalid-modifier',
        message: 'unknown modifier "frobnicate"',
        location: {
          file: 'rules/r.yml',
          yamlPath: 'detection.sel.operationName|frobnicate',
          line: 9,
          column: 7,
        },
      },
    ]);
  });

  it('reports a YAML syntax error at its place', () => {
    const { files } = buildRuleSet([{ path: 'rules/bad.yml', text: 'title: [unclosed\n' }]);
    expect(files[0]?.diagnostics.map((d) => [d.code, d.location])).toEqual([
      ['yaml-syntax', { file: 'rules/bad.yml', yamlPath: '(document)', line: 2, column: 1 }],
    ]);
  });
});
