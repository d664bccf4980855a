import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSigmaString } from '../../src/sigma/sigma-string.js';
import { compileStringPattern, testStringPattern } from '../../src/sigma/string-pattern.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { REPO_ROOT } from '../helpers/shared.js';
import { formatDiagnostic } from '../../src/sigma/diagnostics.js';
import { literalsDerivable, MODIFIERS, parseModifiers } from '../../src/sigma/modifiers.js';
import { ruleRequirement } from '../../src/prefilter/requirement.js';
import { buildRuleSet } from '../../src/rules/rule-set.js';
import { referenceMatches } from '../reference/evaluate.js';
import { lintYaml, matches, parseYamlRule, ruleYaml } from '../helpers/rules.js';

describe('"?" is one character, i.e. one code point', () => {
  const grinning = '\u{1F600}';
  it('matches an astral character as one, in a glob and inside contains', () => {
    expect(matches("sel:\n  f: 'a?c'\ncondition: sel", { f: `a${grinning}c` })).toBe(true);
    expect(matches("sel:\n  f: 'a?c'\ncondition: sel", { f: `a${grinning}${grinning}c` })).toBe(false);
    expect(matches("sel:\n  f: 'a??c'\ncondition: sel", { f: `a${grinning}c` })).toBe(false);
    expect(matches("sel:\n  f|contains: 'x?y'\ncondition: sel", { f: `--x${grinning}y--` })).toBe(true);
    expect(matches("sel:\n  f: '*?'\ncondition: sel", { f: grinning })).toBe(true);
    expect(matches("sel:\n  f: '*??'\ncondition: sel", { f: grinning })).toBe(false);
  });
  it('k question marks match exactly the strings of k code points', () => {
    const codePoint = fc.constantFrom('a', 'ß', grinning, '\u{10FFFF}', '\u2013');
    fc.assert(
      fc.property(fc.array(codePoint, { maxLength: 6 }), fc.nat(6), fc.boolean(), (chars, k, cased) => {
        const pattern = compileStringPattern(parseSigmaString('?'.repeat(k)), cased);
        expect(testStringPattern(pattern, chars.join(''))).toBe(chars.length === k);
      }),
    );
  });
  it('agrees with the reference evaluator', () => {
    const rule = parseYamlRule(ruleYaml("sel:\n  f: 'a?c'\ncondition: sel"));
    expect(referenceMatches(rule, { f: `a${grinning}c` })).toBe(true);
    expect(referenceMatches(rule, { f: `a${grinning}${grinning}c` })).toBe(false);
  });
});

describe('"1 of" / "all of" a pattern leave out identifiers starting with "_"', () => {
  const detection = 'sel_a:\n  a: 1\n_sel_b:\n  b: 1\nsel_c:\n  c: 1\n';
  it('as "them" does', () => {
    expect(matches(`${detection}condition: 1 of *sel*`, { b: 1 })).toBe(false);
    expect(matches(`${detection}condition: all of *sel*`, { a: 1, c: 1 })).toBe(true);
    expect(matches(`${detection}condition: all of them`, { a: 1, c: 1 })).toBe(true);
  });
  it('in the reference evaluator and the prefilter too', () => {
    const rule = parseYamlRule(ruleYaml(`${detection}condition: all of *sel*`));
    expect(referenceMatches(rule, { a: 1, c: 1 })).toBe(true);
    const keyed = parseYamlRule(
      ruleYaml("one:\n  f: 'alpha-value'\n_two:\n  f: 'omega-value'\ncondition: 1 of *o*"),
    );
    // `_two` is not selected, so only `one`'s literal is required.
    expect(ruleRequirement(keyed, () => true)).toEqual([['alpha-value']]);
  });
});

describe('timestamp-part modifiers read an offset-less timestamp as UTC', () => {
  const original = process.env['TZ'];
  afterEach(() => {
    if (original === undefined) delete process.env['TZ'];
    else process.env['TZ'] = original;
  });
  it.each(['Pacific/Kiritimati', 'America/St_Johns', 'UTC'])('whatever TZ (%s) the process runs in', (tz) => {
    process.env['TZ'] = tz;
    const local = '2025-03-04T23:45:27.44';
    if (tz !== 'UTC') expect(new Date(local).getUTCHours()).not.toBe(23); // the zone is really in effect
    expect(matches('sel:\n  t|hour: 23\ncondition: sel', { t: local })).toBe(true);
    expect(matches('sel:\n  t|minute: 45\ncondition: sel', { t: local })).toBe(true);
    expect(matches('sel:\n  t|day: 4\ncondition: sel', { t: local })).toBe(true);
    expect(matches('sel:\n  t|day: 4\ncondition: sel', { t: '2025-03-04' })).toBe(true);
    // An explicit offset is honoured: 23:45 at +02:00 is 21:45 UTC.
    expect(matches('sel:\n  t|hour: 21\ncondition: sel', { t: '2025-03-04T23:45:27+02:00' })).toBe(true);
  });
  it('computes ISO weeks across a year boundary and refuses non-ISO text', () => {
    expect(matches('sel:\n  t|week: 1\ncondition: sel', { t: '2024-12-30T10:00:00Z' })).toBe(true);
    expect(matches('sel:\n  t|week: 53\ncondition: sel', { t: '2021-01-03T10:00:00Z' })).toBe(true);
    expect(matches('sel:\n  t|year: 2025\ncondition: sel', { t: 'March 4, 2025 10:00' })).toBe(false);
    expect(matches('sel:\n  t|day: 31\ncondition: sel', { t: '2025-02-31T10:00:00Z' })).toBe(false);
  });
});

describe('modifiers apply in order', () => {
  const lint = (key: string, value = 'cmd') =>
    lintYaml(ruleYaml(`sel:\n  ${key}: ${value}\ncondition: sel`), 'rules/chain.yml');
  it.each([
    ['f|contains|base64', /"base64" cannot follow "contains"/],
    ['f|contains|base64offset', /"base64offset" cannot follow "contains"/],
    ['f|base64|wide', /"wide" cannot follow "base64"/],
    ['f|contains|fieldref', /"fieldref" cannot follow "contains"/],
    ['f|gt|hour', /"hour" cannot follow "gt"/],
    ['f|i|re', /"re" cannot follow "i"/],
    ['f|cased|re', /"re" cannot follow "cased"/],
    ['f|contains|re', /"re" cannot follow "contains"/],
  ])('rejects %s, naming file and YAML path', (key, message) => {
    const report = lint(key, key.includes('gt') ? '5' : 'cmd');
    expect(report.status).toBe('error');
    const [d] = report.diagnostics;
    expect(d?.message).toMatch(message);
    expect(formatDiagnostic(d as never)).toMatch(
      new RegExp(`^rules/chain\\.yml:9:\\d+: detection\\.sel\\.${key.replace(/\|/g, '\\|')}: `),
    );
  });
  it.each([
    'properties.f|base64|contains',
    'properties.f|wide|base64offset|contains',
    'properties.f|contains|windash',
    'properties.f|windash|contains',
    'properties.f|cased|contains',
    'properties.f|contains|all|cased',
    'properties.f|re|i|m',
    'properties.f|fieldref|startswith',
  ])('accepts %s', (key) => {
    // A fieldref value names a field, which lint resolves too.
    const values = key.includes('fieldref') ? '[properties.cmd, properties.other]' : '[cmd, other]';
    const report = lintYaml(ruleYaml(`sel:\n  ${key}: ${values}\ncondition: sel`));
    expect(report.diagnostics).toEqual([]);
  });
  it('accepts hour|gt and reads it as "the hour is greater than"', () => {
    expect(matches('sel:\n  t|hour|gt: 20\ncondition: sel', { t: '2025-03-04T22:00:00Z' })).toBe(true);
    expect(matches('sel:\n  t|hour|gt: 20\ncondition: sel', { t: '2025-03-04T19:00:00Z' })).toBe(false);
  });
  it('checks each value against the types the modifiers take', () => {
    expect(lint('f|gt', "'ten'").diagnostics[0]?.message).toMatch(
      /"gt" takes number values, not string "ten"/,
    );
    expect(lint('f|re', '5').diagnostics[0]?.message).toMatch(/"re" takes string values/);
    expect(lint('f|contains', 'null').diagnostics[0]?.message).toMatch(/"contains" takes .* not null/);
  });
});

describe('the modifier table', () => {
  it('derives prefilter literals only from modifiers marked so: a new one is safe by default', () => {
    expect(literalsDerivable(['contains', 'all', 'cased', 'windash'])).toBe(true);
    expect(literalsDerivable(['base64offset', 'contains'])).toBe(false);
    expect(literalsDerivable(['re'])).toBe(false);
    expect(literalsDerivable(['expand'])).toBe(false);
    expect(literalsDerivable(['not_in_the_table'])).toBe(false);
    const marked = Object.entries(MODIFIERS)
      .filter(([, d]) => d.literals)
      .map(([n]) => n);
    expect(marked.sort()).toEqual(['all', 'cased', 'contains', 'endswith', 'startswith', 'windash']);
  });
  it('is the one the README documents, row by row', () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    for (const [name, definition] of Object.entries(MODIFIERS)) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${name}\` |`));
      expect(row, name).toBeDefined();
      expect(row).toContain(
        `| ${definition.group} | ${definition.summary} | ${definition.accepts.join(', ')} |`,
      );
    }
    for (const code of Object.values(EXIT)) expect(readme).toMatch(new RegExp(`^\\| ${code} \\| `, 'm'));
  });
  it('gives every modifier a place: each can start a chain or follows a modifier that can', () => {
    for (const [name, definition] of Object.entries(MODIFIERS)) {
      const first =
        definition.follows === 'any' || definition.follows.length === 0 ? [] : [definition.follows[0]];
      const chain = [...(first[0] === undefined ? [] : [first[0]]), name];
      const needsBase64 = ['utf16le', 'utf16be', 'utf16', 'wide'].includes(name) ? ['base64'] : [];
      const needsRe = definition.group === 'regex-flag' && first[0] !== 're' ? ['re'] : [];
      expect(() => parseModifiers([...needsRe, ...chain, ...needsBase64], [])).not.toThrow();
    }
  });
});

describe('RE2 is not PCRE', () => {
  it.each([
    ["'foo(?=bar)'", /lookaround/],
    ["'(?<!x)y'", /lookaround/],
    ["'(a)\\1'", /backreference/],
    ["'(?>a)'", /atomic group/],
  ])('names the construct in %s', (value, construct) => {
    const report = lintYaml(ruleYaml(`sel:\n  f|re: ${value}\ncondition: sel`));
    expect(report.status).toBe('error');
    expect(report.diagnostics[0]?.message).toMatch(construct);
    expect(report.diagnostics[0]?.message).toMatch(/PCRE construct RE2 cannot run/);
  });
  it('warns that "$" does not match before a final newline, and loads the rule', () => {
    const report = lintYaml(ruleYaml("sel:\n  properties.f|re: 'bash$'\ncondition: sel"));
    expect(report.status).toBe('active');
    expect(report.diagnostics).toHaveLength(1);
    expect(report.diagnostics[0]).toMatchObject({ severity: 'warning', code: 'regex-dialect' });
    expect(matches("sel:\n  f|re: 'bash$'\ncondition: sel", { f: 'bash\n' })).toBe(false);
    expect(lintYaml(ruleYaml("sel:\n  properties.f|re|m: 'bash$'\ncondition: sel")).diagnostics).toEqual([]);
    expect(lintYaml(ruleYaml("sel:\n  properties.f|re: 'a[$]b\\$'\ncondition: sel")).diagnostics).toEqual([]);
  });
});

describe('metadata is not logic', () => {
  it('warns on a malformed date, unknown status and level, and loads the rule', () => {
    const yaml = ruleYaml('sel:\n  operationName: x\ncondition: sel')
      .replace('status: test', 'status: production\ndate: 2020/11/21\nmodified: yesterday')
      .replace('level: high', 'level: severe');
    const { files, ruleSet } = buildRuleSet([{ path: 'rules/old.yml', text: yaml }]);
    const [report] = files;
    expect(report?.status).toBe('active');
    expect(report?.diagnostics.map((d) => `${d.severity ?? 'error'} ${d.location.yamlPath}`).sort()).toEqual([
      'warning date',
      'warning level',
      'warning modified',
      'warning status',
    ]);
    expect(ruleSet.active).toHaveLength(1);
    expect(ruleSet.active[0]?.metadata.level).toBe('medium');
  });
  it('keeps detection and logsource problems errors', () => {
    const yaml = ruleYaml('sel:\n  operationName: [x, {a: 1}]\ncondition: sel');
    expect(lintYaml(yaml).status).toBe('error');
    expect(
      lintYaml(yaml.replace('logsource:\n    product: azure', 'logsource:\n    product: [azure]')).status,
    ).toBe('error');
  });
});

describe('hostile rules end fast with an error naming the file', () => {
  it('"1 of" patterns run on a linear-time glob', () => {
    const name = 'a'.repeat(1_000); // YAML allows implicit keys up to 1024 characters
    const pattern = `${'a*'.repeat(40)}b`;
    const report = lintYaml(ruleYaml(`${name}:\n  f: 1\ncondition: 1 of ${pattern}`), 'rules/glob.yml');
    expect(report.diagnostics[0]?.message).toMatch(/selects no search identifier/);
  }, 10_000);
  it('a condition nested thousands deep is "nested too deeply at FILE:LINE"', () => {
    const deep = `${'('.repeat(5_000)}sel${')'.repeat(5_000)}`;
    const nots = `${'not '.repeat(5_000)}sel`;
    for (const condition of [deep, nots]) {
      const report = lintYaml(ruleYaml(`sel:\n  f: 1\ncondition: ${condition}`), 'rules/deep.yml');
      expect(report.status).toBe('error');
      expect(formatDiagnostic(report.diagnostics[0] as never)).toMatch(
        /^rules\/deep\.yml:\d+:\d+: detection\.condition: .*nested too deeply/,
      );
    }
    expect(matches(`sel:\n  f: 1\ncondition: ${'('.repeat(100)}sel${')'.repeat(100)}`, { f: 1 })).toBe(true);
  });
  it('rejects YAML alias bombs, and deep YAML costs only its own file', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const next = String.fromCharCode(97 + i);
      bomb.push(`${next}: &${next} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const good = ruleYaml('sel:\n  operationName: x\ncondition: sel');
    const { files, ruleSet } = buildRuleSet([
      { path: 'rules/bomb.yml', text: `${bomb.join('\n')}\n${good}` },
      { path: 'rules/deep-yaml.yml', text: `${good}fields: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n` },
      { path: 'rules/good.yml', text: good.replace('9a0f1a52', '0a0f1a52') },
    ]);
    expect(files.map((f) => f.status)).toEqual(['error', 'error', 'active']);
    expect(files[0]?.diagnostics[0]?.message).toMatch(/alias/i);
    expect(files[1]?.diagnostics[0]?.message).toMatch(/nested too deeply/);
    expect(ruleSet.active).toHaveLength(1);
    expect(ruleSet.notLoaded).toEqual(['rules/bomb.yml', 'rules/deep-yaml.yml']);
  });
});
