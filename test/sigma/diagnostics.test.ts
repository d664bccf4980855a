import { describe, expect, it } from 'vitest';
import {
  formatDiagnostic,
  formatYamlPath,
  isError,
  SigmaRuleError,
  type RuleDiagnostic,
} from '../../src/sigma/diagnostics.js';
import { identifierSelector } from '../../src/sigma/identifier-pattern.js';
import { dollarDiffers, pcreOnlyConstruct } from '../../src/sigma/regex-dialect.js';
import { lintYaml, ruleYaml } from '../helpers/rules.js';

describe('formatYamlPath', () => {
  it.each([
    [[], '(document)'],
    [['title'], 'title'],
    [['detection', 'sel', 'operationName|startswith', 1], 'detection.sel.operationName|startswith[1]'],
    [['detection', 'sel', 0, 'verb'], 'detection.sel[0].verb'],
    [[2], '[2]'],
  ] as const)('%j → %s', (path, text) => {
    expect(formatYamlPath(path)).toBe(text);
  });
});

describe('formatDiagnostic', () => {
  const diagnostic = (location: RuleDiagnostic['location'], severity?: 'warning'): RuleDiagnostic => ({
    code: 'invalid-value',
    message: 'an empty map matches nothing',
    location,
    ...(severity === undefined ? {} : { severity }),
  });

  it('file, line and column, then where in the rule and what', () => {
    expect(
      formatDiagnostic(diagnostic({ file: 'rules/a.yml', yamlPath: 'detection.sel', line: 7, column: 5 })),
    ).toBe('rules/a.yml:7:5: detection.sel: an empty map matches nothing');
  });

  it('a line without a column is at column 1; no line, the file alone', () => {
    expect(formatDiagnostic(diagnostic({ file: 'rules/a.yml', yamlPath: 'detection.sel', line: 7 }))).toBe(
      'rules/a.yml:7:1: detection.sel: an empty map matches nothing',
    );
    expect(formatDiagnostic(diagnostic({ file: 'rules/a.yml', yamlPath: 'detection.sel' }))).toBe(
      'rules/a.yml: detection.sel: an empty map matches nothing',
    );
  });

  it('a warning says so, and is no error', () => {
    const warning = diagnostic({ file: 'rules/a.yml', yamlPath: 'level', line: 3, column: 1 }, 'warning');
    expect(formatDiagnostic(warning)).toBe('rules/a.yml:3:1: warning: level: an empty map matches nothing');
    expect([isError(warning), isError(diagnostic({ file: 'a', yamlPath: 'b' }))]).toEqual([false, true]);
  });

  it('SigmaRuleError carries its code, path and feature, under its own name', () => {
    const error = new SigmaRuleError(
      'unsupported-feature',
      'no',
      ['detection', 'timeframe'],
      'timeframe',
      true,
    );
    expect([
      error.name,
      error.code,
      error.message,
      error.yamlPath,
      error.feature,
      error.optionalInSpec,
    ]).toEqual([
      'SigmaRuleError',
      'unsupported-feature',
      'no',
      ['detection', 'timeframe'],
      'timeframe',
      true,
    ]);
    expect(String(error)).toBe('SigmaRuleError: no');
  });
});

describe('identifierSelector (1 of / all of)', () => {
  const selects = (pattern: string | null, names: string[]) => names.filter(identifierSelector(pattern));
  const NAMES = [
    'sel',
    'sel_a',
    'sel_b',
    'selection',
    'xsel_a',
    'filter_write',
    'cron_write_x',
    '_aux',
    'SEL_C',
  ];

  it('them: every identifier but those starting with _', () => {
    expect(selects(null, NAMES)).toEqual(NAMES.filter((n) => n !== '_aux'));
  });

  it.each([
    ['sel_*', ['sel_a', 'sel_b']],
    ['sel*', ['sel', 'sel_a', 'sel_b', 'selection']],
    ['*_write', ['filter_write']],
    ['*sel*', ['sel', 'sel_a', 'sel_b', 'selection', 'xsel_a']],
    ['sel**a', ['sel_a']],
    ['sel', ['sel']],
    ['SEL*', ['SEL_C']],
    ['_*', []],
    ['*', NAMES.filter((n) => n !== '_aux')],
  ])('%s (case-sensitive, whole name)', (pattern, expected) => {
    expect(selects(pattern, NAMES)).toEqual(expected);
  });
});

describe('regex dialect', () => {
  it.each([
    ['(?=evil)', 'lookaround ((?=…), (?!…), (?<=…), (?<!…))'],
    ['a(?<!b)', 'lookaround ((?=…), (?!…), (?<=…), (?<!…))'],
    ['(a)\\1', 'backreference (\\1, \\k<name>)'],
    ['(?<x>a)\\k<x>', 'backreference (\\1, \\k<name>)'],
    ['(?>a+)', 'atomic group ((?>…))'],
    ['a++', 'possessive quantifier (*+, ++, ?+)'],
    ['(?R)', 'recursion or subroutine call ((?R), (?1))'],
    ['(?(1)a|b)', 'conditional ((?(…)…))'],
    ['a\\Z', 'anchor \\G or \\Z'],
  ])('%s uses a %s', (source, name) => {
    expect(pcreOnlyConstruct(source)).toBe(name);
  });

  it('an escaped backslash is no construct; RE2 syntax is none either', () => {
    expect(pcreOnlyConstruct('C:\\\\1')).toBeUndefined();
    expect(pcreOnlyConstruct('(?i)^/bin/(ba)?sh$')).toBeUndefined();
  });

  it.each([
    ['^/bin/sh$', false, true],
    ['^/bin/sh$', true, false],
    ['(?m)^/bin/sh$', false, false],
    ['(?im)^/bin/sh$', false, false],
    ['(?sm:^/bin/sh$)', false, false],
    ['(?i)^/bin/sh$', false, true],
    ['[$]', false, false],
    ['a\\$', false, false],
    ['[a]b$', false, true],
    ['sh', false, false],
  ])('$ in %s (m: %s) differs from PCRE: %s', (source, multiline, expected) => {
    expect(dollarDiffers(source, multiline)).toBe(expected);
  });
});

describe('rule warnings', () => {
  const lint = (detection: string) =>
    lintYaml(ruleYaml(detection, 'product: kubernetes\n    service: audit'));

  it('a $ in a regular expression without m is a warning at its value', () => {
    const report = lint("sel:\n  image|re:\n    - '^alpine'\n    - ':latest$'\ncondition: sel");
    expect(report.status).toBe('active');
    expect(report.diagnostics.map((d) => [d.severity, d.code, d.location.yamlPath, d.message])).toEqual([
      [
        'warning',
        'regex-dialect',
        'detection.sel.image|re[1]',
        '"$" in /:latest$/ matches only at the very end of the text (RE2); PCRE also matches before a final line break. Add "|m" or "\\n?$" if that is meant',
      ],
    ]);
  });

  it('none with m, and none for a value that is no regular expression', () => {
    expect(lint("sel:\n  image|re|m: ':latest$'\ncondition: sel").diagnostics).toEqual([]);
    expect(lint("sel:\n  image|endswith: ':latest$'\ncondition: sel").diagnostics).toEqual([]);
    expect(lint("sel:\n  - image|re: '^a'\n  - image|contains: 'b$'\ncondition: sel").diagnostics).toEqual(
      [],
    );
  });
});
