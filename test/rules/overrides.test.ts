import { describe, expect, it } from 'vitest';
import { buildRuleSet } from '../../src/rules/rule-set.js';
import { ruleYaml } from '../helpers/rules.js';

const RULE_ID = '9a0f1a52-8d47-4b2e-9a6f-0c1d2e3f4a5b';
const rule = { path: 'rules/r.yml', text: ruleYaml('sel:\n  operationName: x\ncondition: sel') };

describe('metadata overrides', () => {
  it('replace the technique findings report, and leave the rule file active', () => {
    const overrides = {
      path: 'rules/metadata-overrides.yml',
      text: `overrides:\n  - rule: ${RULE_ID}\n    reason: the upstream tag names the wrong technique\n    techniques: [T1053.007]\n    level: critical\n`,
    };
    const { ruleSet, files } = buildRuleSet([rule, overrides]);
    expect(files.map((f) => f.status)).toEqual(['active', 'overrides']);
    expect(ruleSet.active[0]?.metadata).toMatchObject({ techniques: ['T1053.007'], level: 'critical' });
  });

  it('are an error of their file when they name a rule nobody loaded', () => {
    const overrides = {
      path: 'rules/metadata-overrides.yml',
      text: 'overrides:\n  - rule: 00000000-0000-4000-8000-000000000000\n    reason: a typo in the rule id here\n',
    };
    const { files } = buildRuleSet([rule, overrides]);
    expect(files[1]?.status).toBe('error');
    expect(files[1]?.diagnostics[0]?.message).toMatch(/no loaded rule has/);
    expect(files[0]?.status).toBe('active');
  });
});
