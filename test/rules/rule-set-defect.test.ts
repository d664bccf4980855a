import { describe, expect, it, vi } from 'vitest';
import { buildRuleSet } from '../../src/rules/rule-set.js';
import type * as CompileRule from '../../src/sigma/compile-rule.js';
import { ruleYaml } from '../helpers/rules.js';

/** Lets a test make compiling one rule fail, as a defect in the compiler would. */
vi.mock('../../src/sigma/compile-rule.js', async (importOriginal) => {
  const actual = await importOriginal<typeof CompileRule>();
  return {
    ...actual,
    compileRule: (rule: Parameters<typeof actual.compileRule>[0]) => {
      if (rule.title === 'defective') throw new RangeError('Maximum call stack size exceeded');
      return actual.compileRule(rule);
    },
  };
});

describe('a rule file the compiler fails on', () => {
  it('costs only itself: its file reports why it cannot be read, the others load', () => {
    const good = ruleYaml('sel:\n  operationName: x\ncondition: sel');
    const defective = good
      .replace('title: test rule', 'title: defective')
      .replace('9a0f1a52-8d47-4b2e-9a6f-0c1d2e3f4a5b', '0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d');
    const { ruleSet, files } = buildRuleSet([
      { path: 'rules/defective.yml', text: defective },
      { path: 'rules/good.yml', text: good },
    ]);
    expect(files.map((f) => [f.file, f.status, f.rules.length])).toEqual([
      ['rules/defective.yml', 'error', 0],
      ['rules/good.yml', 'active', 1],
    ]);
    expect(files[0]?.diagnostics).toEqual([
      {
        code: 'yaml-syntax',
        message: 'cannot be read: Maximum call stack size exceeded',
        location: { file: 'rules/defective.yml', yamlPath: '(document)' },
      },
    ]);
    expect(ruleSet.active.map((r) => r.metadata.ruleId)).toEqual(['9a0f1a52-8d47-4b2e-9a6f-0c1d2e3f4a5b']);
  });
});
