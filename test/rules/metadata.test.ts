import { describe, expect, it } from 'vitest';
import { ruleMetadata } from '../../src/rules/metadata.js';
import { parseYamlRule, ruleYaml } from '../helpers/rules.js';

const withTags = (tags: readonly string[]) =>
  parseYamlRule(
    ruleYaml('sel:\n  operationName: x\ncondition: sel').replace(
      'level: high\n',
      `level: high\ntags:\n${tags.map((t) => `    - ${t}\n`).join('')}`,
    ),
  );

describe('rule metadata', () => {
  it('reads ATT&CK techniques and tactics from the tags, in any case, and ignores other tags', () => {
    const metadata = ruleMetadata(
      withTags([
        'attack.persistence',
        'ATTACK.T1053.007',
        'attack.t1610',
        'car.2013-01-001',
        'cve',
        'attack',
      ]),
      undefined,
    );
    expect(metadata).toEqual({
      ruleId: '9a0f1a52-8d47-4b2e-9a6f-0c1d2e3f4a5b',
      title: 'test rule',
      level: 'high',
      tactics: ['Persistence'],
      techniques: ['T1053.007', 'T1610'],
    });
  });

  it('names each ATT&CK tactic as MITRE writes it', () => {
    const tactics = [
      ['reconnaissance', 'Reconnaissance'],
      ['resource-development', 'Resource Development'],
      ['initial-access', 'Initial Access'],
      ['execution', 'Execution'],
      ['persistence', 'Persistence'],
      ['privilege-escalation', 'Privilege Escalation'],
      ['defense-evasion', 'Defense Evasion'],
      ['defense-impairment', 'Defense Impairment'],
      ['stealth', 'Stealth'],
      ['credential-access', 'Credential Access'],
      ['discovery', 'Discovery'],
      ['lateral-movement', 'Lateral Movement'],
      ['collection', 'Collection'],
      ['command-and-control', 'Command and Control'],
      ['exfiltration', 'Exfiltration'],
      ['impact', 'Impact'],
    ];
    const metadata = ruleMetadata(withTags(tactics.map(([tag]) => `attack.${tag}`)), undefined);
    expect(metadata.tactics).toEqual(tactics.map(([, name]) => name));
  });

  it('takes ATT&CK names only from the attack namespace', () => {
    const metadata = ruleMetadata(
      withTags(['custom.persistence', 'custom.t1053.007', 'custom-attack.execution', 'attack']),
      undefined,
    );
    expect([metadata.tactics, metadata.techniques]).toEqual([[], []]);
  });

  it('takes no tactic from a tag naming a member of every object', () => {
    const metadata = ruleMetadata(
      withTags(['attack.constructor', 'attack.__proto__', 'attack.toString']),
      undefined,
    );
    expect(metadata.tactics).toEqual([]);
    expect(metadata.techniques).toEqual([]);
  });

  it('keeps a technique-like tag that is no technique id out of the techniques', () => {
    const metadata = ruleMetadata(
      withTags(['attack.t105', 'attack.t1053.07', 'attack.xt1053', 'attack.t1053x']),
      undefined,
    );
    expect(metadata.techniques).toEqual([]);
  });

  it('gives a rule without an id a stable one from its title, shaped like a UUID', () => {
    const rule = (title: string) =>
      parseYamlRule(
        ruleYaml('sel:\n  operationName: x\ncondition: sel')
          .replace('id: 9a0f1a52-8d47-4b2e-9a6f-0c1d2e3f4a5b\n', '')
          .replace('title: test rule', `title: ${title}`),
      );
    // Findings already stored carry this id: it must not change between versions.
    expect(ruleMetadata(rule('test rule'), undefined).ruleId).toBe('def179a5-82db-8537-a5bf-2767451d9be2');
    expect(ruleMetadata(rule('another rule'), undefined).ruleId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(ruleMetadata(rule('another rule'), undefined).ruleId).not.toBe(
      'def179a5-82db-8537-a5bf-2767451d9be2',
    );
  });

  it('takes the level and ATT&CK names of an override, else the rule level, else medium', () => {
    const override = {
      rule: 'x',
      reason: 'the upstream tags are wrong',
      tactics: ['Execution'],
      level: 'low' as const,
    };
    expect(ruleMetadata(withTags(['attack.persistence', 'attack.t1053.007']), override)).toMatchObject({
      level: 'low',
      tactics: ['Execution'],
      techniques: ['T1053.007'],
    });
    const unlevelled = parseYamlRule(
      ruleYaml('sel:\n  operationName: x\ncondition: sel').replace('level: high\n', ''),
    );
    expect(ruleMetadata(unlevelled, undefined).level).toBe('medium');
  });
});
