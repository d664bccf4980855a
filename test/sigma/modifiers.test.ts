import { describe, expect, it } from 'vitest';
import { lintYaml, matches, ruleYaml } from '../helpers/rules.js';

const op = (operationName: unknown) => ({ operationName });

describe('default matching', () => {
  it('is case-insensitive and exact', () => {
    expect(
      matches("sel:\n  operationName: 'Microsoft.Foo/Write'\ncondition: sel", op('MICROSOFT.FOO/WRITE')),
    ).toBe(true);
    expect(
      matches("sel:\n  operationName: 'Microsoft.Foo/Write'\ncondition: sel", op('MICROSOFT.FOO/WRITE/X')),
    ).toBe(false);
  });
  it('supports * and ? wildcards and their escapes', () => {
    expect(matches("sel:\n  operationName: 'a*c'\ncondition: sel", op('abbbc'))).toBe(true);
    expect(matches("sel:\n  operationName: 'a?c'\ncondition: sel", op('abc'))).toBe(true);
    expect(matches("sel:\n  operationName: 'a?c'\ncondition: sel", op('abbc'))).toBe(false);
    expect(matches("sel:\n  operationName: 'a\\*c'\ncondition: sel", op('a*c'))).toBe(true);
    expect(matches("sel:\n  operationName: 'a\\*c'\ncondition: sel", op('abc'))).toBe(false);
  });
  it('ORs a value list and ANDs the fields of a map', () => {
    const detection = 'sel:\n  operationName: [a, b]\n  resultType: Success\ncondition: sel';
    expect(matches(detection, { operationName: 'b', resultType: 'success' })).toBe(true);
    expect(matches(detection, { operationName: 'c', resultType: 'success' })).toBe(false);
    expect(matches(detection, { operationName: 'a', resultType: 'Start' })).toBe(false);
  });
  it('ORs a list of maps', () => {
    const detection = 'sel:\n  - operationName: a\n  - resultType: b\ncondition: sel';
    expect(matches(detection, { resultType: 'B' })).toBe(true);
    expect(matches(detection, { resultType: 'c' })).toBe(false);
  });
  it('matches numbers against numbers and numeric strings, and booleans against booleans', () => {
    const detection = 'sel:\n  responseStatus.code: [401, 403]\ncondition: sel';
    expect(matches(detection, { responseStatus: { code: 403 } })).toBe(true);
    expect(matches(detection, { responseStatus: { code: '401' } })).toBe(true);
    expect(matches(detection, { responseStatus: { code: 200 } })).toBe(false);
    expect(matches('sel:\n  privileged: true\ncondition: sel', { privileged: true })).toBe(true);
    expect(matches('sel:\n  privileged: true\ncondition: sel', { privileged: false })).toBe(false);
  });
  it('treats a lone * as "field present with a value"', () => {
    expect(matches("sel:\n  hostPath: '*'\ncondition: sel", { hostPath: '/etc' })).toBe(true);
    expect(matches("sel:\n  hostPath: '*'\ncondition: sel", {})).toBe(false);
  });
  it('matches null against a missing or null field only', () => {
    const detection = 'sel:\n  caller: null\ncondition: sel';
    expect(matches(detection, {})).toBe(true);
    expect(matches(detection, { caller: null })).toBe(true);
    expect(matches(detection, { caller: 'x' })).toBe(false);
  });
  it('matches the empty string only against an empty value', () => {
    expect(matches("sel:\n  caller: ''\ncondition: sel", { caller: '' })).toBe(true);
    expect(matches("sel:\n  caller: ''\ncondition: sel", { caller: 'x' })).toBe(false);
  });
  it('is "no match" for type confusion rather than an error', () => {
    const detection = "sel:\n  operationName|startswith: 'MICROSOFT'\ncondition: sel";
    for (const value of [12345, null, undefined, {}, [], { nested: 'MICROSOFT' }, true]) {
      expect(matches(detection, op(value))).toBe(false);
    }
  });
});

describe('string modifiers', () => {
  it('contains / startswith / endswith', () => {
    expect(matches('sel:\n  f|contains: BATCH\ncondition: sel', { f: 'x/batch/y' })).toBe(true);
    expect(matches('sel:\n  f|startswith: MICRO\ncondition: sel', { f: 'microsoft' })).toBe(true);
    expect(matches('sel:\n  f|startswith: MICRO\ncondition: sel', { f: 'xmicro' })).toBe(false);
    expect(matches('sel:\n  f|endswith: /WRITE\ncondition: sel', { f: 'a/write' })).toBe(true);
    expect(matches('sel:\n  f|endswith: /WRITE\ncondition: sel', { f: 'a/write/x' })).toBe(false);
  });
  it('the same field twice with different modifiers is AND', () => {
    const detection = 'sel:\n  f|startswith: [A, B]\n  f|endswith: [/X, /Y]\ncondition: sel';
    expect(matches(detection, { f: 'a/y' })).toBe(true);
    expect(matches(detection, { f: 'a/z' })).toBe(false);
    expect(matches(detection, { f: 'c/y' })).toBe(false);
  });
  it('all ANDs the values', () => {
    const detection = 'sel:\n  f|contains|all: [one, two]\ncondition: sel';
    expect(matches(detection, { f: 'two and one' })).toBe(true);
    expect(matches(detection, { f: 'one only' })).toBe(false);
  });
  it('rejects all on a single value, as the specification says', () => {
    const report = lintYaml(ruleYaml('sel:\n  f|contains|all: one\ncondition: sel'));
    expect(report.status).toBe('error');
    expect(report.diagnostics[0]?.message).toMatch(/all/);
  });
  it('cased makes matching case-sensitive', () => {
    expect(matches('sel:\n  f|cased: Abc\ncondition: sel', { f: 'Abc' })).toBe(true);
    expect(matches('sel:\n  f|cased: Abc\ncondition: sel', { f: 'abc' })).toBe(false);
    expect(matches('sel:\n  f|contains|cased: Bc\ncondition: sel', { f: 'aBcd' })).toBe(true);
    expect(matches('sel:\n  f|contains|cased: Bc\ncondition: sel', { f: 'abcd' })).toBe(false);
  });
  it('windash matches every dash variant and the slash', () => {
    const detection = "sel:\n  cmd|contains|windash: ' -enc '\ncondition: sel";
    for (const dash of ['-', '/', '\u2013', '\u2014', '\u2015'])
      expect(matches(detection, { cmd: `ps ${dash}enc x` })).toBe(true);
    expect(matches(detection, { cmd: 'ps +enc x' })).toBe(false);
  });
  it('base64 matches the encoded value, case-sensitively', () => {
    const encoded = Buffer.from('evil.sh').toString('base64');
    expect(
      matches('sel:\n  cmd|base64|contains: evil.sh\ncondition: sel', { cmd: `echo ${encoded} | base64 -d` }),
    ).toBe(true);
    expect(
      matches('sel:\n  cmd|base64|contains: evil.sh\ncondition: sel', {
        cmd: `echo ${encoded.toLowerCase()}`,
      }),
    ).toBe(false);
  });
  it('base64offset finds the value at any offset of an encoded string', () => {
    const detection = "sel:\n  cmd|base64offset|contains: 'curl http'\ncondition: sel";
    for (const prefix of ['', 'a', 'ab', 'abc']) {
      const encoded = Buffer.from(`${prefix}curl http://x | sh`).toString('base64');
      expect(matches(detection, { cmd: encoded })).toBe(true);
    }
    expect(matches(detection, { cmd: Buffer.from('wget http://x').toString('base64') })).toBe(false);
  });
  it('utf16le / wide / utf16be / utf16 encode before base64', () => {
    const le = Buffer.from('cmd', 'utf16le').toString('base64');
    expect(matches('sel:\n  f|wide|base64: cmd\ncondition: sel', { f: le })).toBe(true);
    expect(matches('sel:\n  f|utf16le|base64: cmd\ncondition: sel', { f: le })).toBe(true);
    const be = Buffer.from('cmd', 'utf16le').swap16().toString('base64');
    expect(matches('sel:\n  f|utf16be|base64: cmd\ncondition: sel', { f: be })).toBe(true);
    const bom = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('cmd', 'utf16le')]).toString('base64');
    expect(matches('sel:\n  f|utf16|base64: cmd\ncondition: sel', { f: bom })).toBe(true);
  });
  it('rejects an encoding without base64', () => {
    expect(lintYaml(ruleYaml('sel:\n  f|wide: cmd\ncondition: sel')).diagnostics[0]?.message).toMatch(
      /base64/,
    );
  });
});

describe('regular expressions', () => {
  it('re is case-sensitive and unanchored; i, m and s set flags', () => {
    expect(matches("sel:\n  f|re: 'b+c'\ncondition: sel", { f: 'abbbcd' })).toBe(true);
    expect(matches("sel:\n  f|re: 'B+C'\ncondition: sel", { f: 'abbbcd' })).toBe(false);
    expect(matches("sel:\n  f|re|i: 'B+C'\ncondition: sel", { f: 'abbbcd' })).toBe(true);
    expect(matches("sel:\n  f|re: '^two$'\ncondition: sel", { f: 'one\ntwo' })).toBe(false);
    expect(matches("sel:\n  f|re|m: '^two$'\ncondition: sel", { f: 'one\ntwo' })).toBe(true);
    expect(matches("sel:\n  f|re: 'one.two'\ncondition: sel", { f: 'one\ntwo' })).toBe(false);
    expect(matches("sel:\n  f|re|s: 'one.two'\ncondition: sel", { f: 'one\ntwo' })).toBe(true);
  });
  it('accepts the seed rules inline (?i) flag', () => {
    expect(
      matches("sel:\n  image|re: '(?i)(alpine|busybox)'\ncondition: sel", {
        image: 'docker.io/library/ALPINE:3.20',
      }),
    ).toBe(true);
  });
  it('reports constructs that cannot run in linear time, naming the rule path', () => {
    const report = lintYaml(ruleYaml("sel:\n  f|re: '(a)\\1'\ncondition: sel"));
    expect(report.status).toBe('error');
    expect(report.diagnostics[0]?.code).toBe('invalid-regex');
    expect(report.diagnostics[0]?.location.yamlPath).toBe('detection.sel.f|re[0]');
    expect(report.diagnostics[0]?.location.line).toBe(9);
  });
  it('rejects a sub-modifier without re', () => {
    expect(lintYaml(ruleYaml('sel:\n  f|i: x\ncondition: sel')).diagnostics[0]?.code).toBe(
      'invalid-modifier',
    );
  });
});

describe('type modifiers', () => {
  it('exists checks presence, whatever the value', () => {
    expect(matches('sel:\n  f|exists: true\ncondition: sel', { f: null })).toBe(true);
    expect(matches('sel:\n  f|exists: true\ncondition: sel', {})).toBe(false);
    expect(matches('sel:\n  f|exists: false\ncondition: sel', {})).toBe(true);
    expect(lintYaml(ruleYaml('sel:\n  f|exists: yes please\ncondition: sel')).status).toBe('error');
  });
  it('lt / lte / gt / gte compare numbers and numeric strings', () => {
    expect(matches('sel:\n  n|lt: 10\ncondition: sel', { n: 9 })).toBe(true);
    expect(matches('sel:\n  n|lt: 10\ncondition: sel', { n: 10 })).toBe(false);
    expect(matches('sel:\n  n|lte: 10\ncondition: sel', { n: '10' })).toBe(true);
    expect(matches('sel:\n  n|gt: 10\ncondition: sel', { n: 10.5 })).toBe(true);
    expect(matches('sel:\n  n|gte: 10\ncondition: sel', { n: 9.99 })).toBe(false);
    expect(matches('sel:\n  n|gt: 1\ncondition: sel', { n: 'not a number' })).toBe(false);
    expect(lintYaml(ruleYaml("sel:\n  n|gt: 'ten'\ncondition: sel")).status).toBe('error');
  });
  it('cidr matches IPv4 and IPv6 networks', () => {
    expect(matches("sel:\n  ip|cidr: '10.0.0.0/8'\ncondition: sel", { ip: '10.1.2.3' })).toBe(true);
    expect(matches("sel:\n  ip|cidr: '10.0.0.0/8'\ncondition: sel", { ip: '11.1.2.3' })).toBe(false);
    expect(matches("sel:\n  ip|cidr: '2001:db8::/32'\ncondition: sel", { ip: '2001:db8:1::5' })).toBe(true);
    expect(matches("sel:\n  ip|cidr: '2001:db8::/32'\ncondition: sel", { ip: 'not-an-ip' })).toBe(false);
    expect(
      matches("sel:\n  ip|cidr: ['192.168.0.0/16', '10.0.0.0/8']\ncondition: sel", {
        ip: ['8.8.8.8', '192.168.1.1'],
      }),
    ).toBe(true);
    expect(lintYaml(ruleYaml("sel:\n  ip|cidr: '10.0.0.0/40'\ncondition: sel")).status).toBe('error');
  });
  it('fieldref compares two fields of the same record', () => {
    expect(matches('sel:\n  a|fieldref: b\ncondition: sel', { a: 'X', b: 'x' })).toBe(true);
    expect(matches('sel:\n  a|fieldref: b\ncondition: sel', { a: 'x', b: 'y' })).toBe(false);
    expect(matches('sel:\n  a|fieldref|contains: b\ncondition: sel', { a: 'xyz', b: 'y' })).toBe(true);
    expect(matches('sel:\n  a|fieldref: b\ncondition: sel', { a: 'x' })).toBe(false);
  });
  it('neq holds when the field has a value different from every listed value', () => {
    expect(matches('sel:\n  verb|neq: [get, list]\ncondition: sel', { verb: 'create' })).toBe(true);
    expect(matches('sel:\n  verb|neq: [get, list]\ncondition: sel', { verb: 'LIST' })).toBe(false);
    expect(matches('sel:\n  verb|neq: get\ncondition: sel', {})).toBe(false);
  });
  it('time modifiers extract UTC parts of a date', () => {
    const record = { time: '2025-03-04T09:15:27.4410532Z' };
    expect(matches('sel:\n  time|hour: 9\ncondition: sel', record)).toBe(true);
    expect(matches('sel:\n  time|minute|gte: 15\ncondition: sel', record)).toBe(true);
    expect(matches('sel:\n  time|month: 3\ncondition: sel', record)).toBe(true);
    expect(matches('sel:\n  time|week: 10\ncondition: sel', record)).toBe(true);
    expect(matches('sel:\n  time|year: 2024\ncondition: sel', record)).toBe(false);
    expect(matches('sel:\n  time|day: 4\ncondition: sel', { time: 'garbage' })).toBe(false);
  });
  it('rejects unknown modifiers and expand placeholders with the feature named', () => {
    const unknown = lintYaml(ruleYaml('sel:\n  f|sounds_like: x\ncondition: sel'));
    expect(unknown.diagnostics[0]?.message).toMatch(/unknown modifier "sounds_like"/);
    const expand = lintYaml(ruleYaml("sel:\n  f|expand: '%Servers%'\ncondition: sel"));
    expect(expand.diagnostics[0]?.code).toBe('unsupported-feature');
    expect(expand.diagnostics[0]?.feature).toMatch(/expand/);
    expect(expand.diagnostics[0]?.optionalInSpec).toBe(true);
  });
  it('rejects incompatible combinations', () => {
    expect(lintYaml(ruleYaml('sel:\n  f|re|contains: x\ncondition: sel')).status).toBe('error');
    expect(lintYaml(ruleYaml('sel:\n  f|contains|startswith: x\ncondition: sel')).status).toBe('error');
    expect(lintYaml(ruleYaml("sel:\n  f|cidr|contains: '10.0.0.0/8'\ncondition: sel")).status).toBe('error');
  });
});

describe('keywords', () => {
  it('search every string value of the record, as substrings', () => {
    const detection = 'keywords:\n  - listKeys/action\n  - snapshots/write\ncondition: keywords';
    expect(matches(detection, { operationName: 'Microsoft.Storage/storageAccounts/LISTKEYS/ACTION' })).toBe(
      true,
    );
    expect(matches(detection, { properties: { message: 'x Microsoft.Compute/snapshots/write' } })).toBe(true);
    expect(matches(detection, { operationName: 'Microsoft.Compute/virtualMachines/write' })).toBe(false);
  });
  it("'|all' joins keywords with AND", () => {
    const detection = "keywords:\n  '|all':\n    - alpha\n    - beta\ncondition: keywords";
    expect(matches(detection, { a: 'alpha', b: { c: 'BETA' } })).toBe(true);
    expect(matches(detection, { a: 'alpha' })).toBe(false);
  });
});
