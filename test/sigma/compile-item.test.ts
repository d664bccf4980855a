import { describe, expect, it } from 'vitest';
import { parseModifiers } from '../../src/sigma/modifiers.js';
import { compileYaml, lintYaml, matches, ruleYaml } from '../helpers/rules.js';

/** Each branch of compiling a detection item, through rules as authors write them. */

/** The first diagnostic of a rule, as the loader reports it. */
const diagnostic = (detection: string) => {
  const [first] = lintYaml(ruleYaml(detection)).diagnostics;
  return [first?.code, first?.message, first?.location.yamlPath];
};

describe('values', () => {
  it('an empty list of values never matches, and is an error', () => {
    expect(() => compileYaml('sel:\n  verb: []\ncondition: sel')).toThrow(
      expect.objectContaining({ code: 'invalid-value', message: 'an empty list of values never matches' }),
    );
  });

  it('all on a single value is an invalid modifier', () => {
    expect(diagnostic('sel:\n  f|contains|all: one\ncondition: sel')).toEqual([
      'invalid-modifier',
      'the Sigma specification does not allow "all" on a single value',
      'detection.sel.f|contains|all',
    ]);
  });

  it('a value of the wrong type is named with its index', () => {
    expect(diagnostic("sel:\n  n|gt: [1, 'ten']\ncondition: sel")).toEqual([
      'invalid-value',
      '"gt" takes number values, not string "ten"',
      'detection.sel.n|gt[1]',
    ]);
    expect(diagnostic('sel:\n  f|contains: [a, null]\ncondition: sel')).toEqual([
      'invalid-value',
      '"contains" takes string or number values, not null',
      'detection.sel.f|contains[1]',
    ]);
  });

  it('neq needs a value that is not null', () => {
    expect(matches('sel:\n  verb|neq: get\ncondition: sel', { verb: null })).toBe(false);
    expect(matches('sel:\n  verb|neq: get\ncondition: sel', { verb: [null, 'create'] })).toBe(true);
  });
});

describe('keywords', () => {
  it('take only the modifiers of strings', () => {
    expect(diagnostic("keywords:\n  '|gt':\n    - 5\n    - 6\ncondition: keywords")).toEqual([
      'invalid-modifier',
      'keyword lists take only string modifiers (got "gt")',
      'detection.keywords.|gt',
    ]);
  });

  it('name every modifier that a keyword list cannot take', () => {
    expect(diagnostic("keywords:\n  '|gt|all':\n    - 5\n    - 6\ncondition: keywords")[1]).toBe(
      'keyword lists take only string modifiers (got "gt|all")',
    );
  });

  it('are strings or numbers, never null', () => {
    expect(diagnostic("keywords:\n  '|all':\n    - alpha\n    - null\ncondition: keywords")).toEqual([
      'invalid-value',
      'a keyword must be a string or number, not null',
      'detection.keywords.|all[1]',
    ]);
  });

  it('are strings or numbers, never booleans', () => {
    expect(diagnostic("keywords:\n  '|all':\n    - alpha\n    - true\ncondition: keywords")).toEqual([
      'invalid-value',
      'a keyword must be a string or number, not true',
      'detection.keywords.|all[1]',
    ]);
  });

  it('a regular expression keyword, case-sensitive', () => {
    const detection = "keywords:\n  '|re': 'kube-sys.em'\ncondition: keywords";
    expect(matches(detection, { objectRef: { namespace: 'kube-system' } })).toBe(true);
    expect(matches(detection, { objectRef: { namespace: 'KUBE-SYSTEM' } })).toBe(false);
    expect(matches(detection, { objectRef: { name: 'log-rotate', namespace: 'kube-system' } })).toBe(true);
  });

  it('a keyword with startswith must start a value', () => {
    const detection = "keywords:\n  '|startswith': 'kube'\ncondition: keywords";
    expect(matches(detection, { namespace: 'kube-system' })).toBe(true);
    expect(matches(detection, { namespace: 'not-kube-system' })).toBe(false);
  });

  it('a base64offset keyword: any of its three encodings', () => {
    const detection = "keywords:\n  '|base64offset|contains': 'curl http'\ncondition: keywords";
    for (const prefix of ['', 'a', 'ab']) {
      const encoded = Buffer.from(`${prefix}curl http://x | sh`).toString('base64');
      expect(matches(detection, { args: ['-c', `echo ${encoded}`] }), prefix).toBe(true);
    }
  });
});

describe('exists', () => {
  it('takes exactly one boolean', () => {
    expect(diagnostic('sel:\n  f|exists: [true, false]\ncondition: sel')).toEqual([
      'invalid-value',
      '"exists" takes exactly one boolean value (true or false)',
      'detection.sel.f|exists',
    ]);
  });
});

describe('base64', () => {
  it('a number is encoded as its text', () => {
    expect(
      matches('sel:\n  f|base64: 123\ncondition: sel', { f: Buffer.from('123').toString('base64') }),
    ).toBe(true);
  });

  it('a value with wildcards cannot be encoded', () => {
    expect(diagnostic("sel:\n  f|base64offset|contains: 'evil*'\ncondition: sel")).toEqual([
      'invalid-value',
      'wildcards cannot be base64offset-encoded',
      'detection.sel.f|base64offset|contains[0]',
    ]);
  });

  it('base64offset of values of every length modulo 3, at every offset', () => {
    for (const value of ['evil', 'evil.', 'evil.s']) {
      const detection = `sel:\n  cmd|base64offset|contains: '${value}'\ncondition: sel`;
      for (const prefix of ['', 'a', 'ab', 'abc']) {
        const encoded = Buffer.from(`${prefix}${value}|sh`).toString('base64');
        expect(matches(detection, { cmd: encoded }), `${value} after ${prefix.length}`).toBe(true);
      }
      expect(matches(detection, { cmd: Buffer.from('good.sh|sh').toString('base64') })).toBe(false);
    }
  });

  it('one field value of several holding the encoding is enough', () => {
    const encoded = Buffer.from('xcurl http://x').toString('base64');
    expect(
      matches("sel:\n  args|base64offset|contains: 'curl http'\ncondition: sel", { args: ['-c', encoded] }),
    ).toBe(true);
  });
});

describe('regular expressions', () => {
  it('an invalid one says so, without naming a PCRE construct', () => {
    const [code, message] = diagnostic("sel:\n  f|re: '(unclosed'\ncondition: sel");
    expect(code).toBe('invalid-regex');
    expect(message).toMatch(/^regular expression \/\(unclosed\/ cannot run in linear time or is invalid: /);
  });

  it('a PCRE construct is named', () => {
    expect(diagnostic("sel:\n  f|re: 'a(?=b)'\ncondition: sel")[1]).toMatch(
      /^regular expression \/a\(\?=b\)\/ uses a lookaround \(\(\?=…\), \(\?!…\), \(\?<=…\), \(\?<!…\)\), a PCRE construct RE2 cannot run/,
    );
  });

  it('the same pattern on two fields, with different flags, keeps its flags apart', () => {
    const detection = "a:\n  f|re: 'ADMIN'\nb:\n  g|re|i: 'ADMIN'\ncondition: a or b";
    expect(matches(detection, { f: 'admin' })).toBe(false);
    expect(matches(detection, { g: 'admin' })).toBe(true);
  });
});

describe('cidr', () => {
  it.each([
    ["'10.0.0.0/8'", '10.255.0.1', true],
    ["'10.1.2.3'", '10.1.2.3', true],
    ["'10.1.2.3'", '10.1.2.4', false],
    ["'10.1.2.3/32'", '10.1.2.3', true],
    ["'0.0.0.0/0'", '203.0.113.7', true],
    ["'2001:db8::1'", '2001:db8::1', true],
    ["'2001:db8::1'", '2001:db8::2', false],
    ["'2001:db8::/128'", '2001:db8::', true],
    ["'10.0.0.0/8'", ' 10.0.0.1 ', true],
    // An IPv4-mapped IPv6 address is the same host.
    ["'10.0.0.0/8'", '::ffff:10.0.0.1', true],
    ["'10.0.0.0/8'", '::ffff:11.0.0.1', false],
    ["'10.0.0.0/8'", 'fe80::1', false],
  ])('%s holds %j: %s', (network, ip, expected) => {
    expect(matches(`sel:\n  ip|cidr: ${network}\ncondition: sel`, { ip })).toBe(expected);
  });

  it.each([
    "'10.0.0.0/33'",
    "'::/129'",
    "'10.0.0.0/-1'",
    "'10.0.0.0/8/1'",
    "'10.0.0.0/x'",
    "'/8'",
    "'10.0.0/8'",
  ])('%s is no network', (network) => {
    expect(diagnostic(`sel:\n  ip|cidr: ${network}\ncondition: sel`)).toEqual([
      'invalid-value',
      `"${network.slice(1, -1)}" is not an IPv4 or IPv6 CIDR network`,
      'detection.sel.ip|cidr[0]',
    ]);
  });
});

describe('fieldref', () => {
  it('startswith and endswith compare with the other field', () => {
    const record = { a: 'system:serviceaccount:ops:runner', b: 'system:serviceaccount', c: 'ops:runner' };
    expect(matches('sel:\n  a|fieldref|startswith: b\ncondition: sel', record)).toBe(true);
    expect(matches('sel:\n  a|fieldref|startswith: c\ncondition: sel', record)).toBe(false);
    expect(matches('sel:\n  a|fieldref|endswith: c\ncondition: sel', record)).toBe(true);
    expect(matches('sel:\n  a|fieldref|endswith: b\ncondition: sel', record)).toBe(false);
  });

  it('without a position the values must be equal, not merely contain one another', () => {
    expect(matches('sel:\n  a|fieldref: b\ncondition: sel', { a: 'xyz', b: 'y' })).toBe(false);
  });

  it('cased compares case-sensitively', () => {
    expect(matches('sel:\n  a|fieldref|cased: b\ncondition: sel', { a: 'X', b: 'x' })).toBe(false);
    expect(matches('sel:\n  a|fieldref|cased: b\ncondition: sel', { a: 'x', b: 'x' })).toBe(true);
  });

  it('any value of the field against any value of the other', () => {
    expect(matches('sel:\n  a|fieldref: b\ncondition: sel', { a: ['p', 'q'], b: ['r', 'q'] })).toBe(true);
  });
});

describe('numbers', () => {
  it.each([
    ['lte', 10, 11, false],
    ['lte', 10, 10, true],
    ['gt', 10, 10, false],
    ['gt', 10, 11, true],
    ['gte', 5, '5', true],
    ['lt', 0, '-3', true],
    ['gt', 0, '+3', true],
    ['gte', 4, '4.5', true],
    ['lt', 1, '.55', true],
    ['gt', 999, '1e3', true],
    ['lt', 1, '1e-3', true],
    ['gt', 999, '1E+3', true],
    ['lt', 100, ' 42 ', true],
    ['gt', 10, '0x10', false],
    ['gt', 10, '12abc', false],
    ['gt', 1, 'x5', false],
    ['gt', 1, true, false],
  ])('%s %d holds %j: %s', (op, bound, value, expected) => {
    expect(matches(`sel:\n  n|${op}: ${bound}\ncondition: sel`, { n: value })).toBe(expected);
  });

  it('one numeric value of several is enough', () => {
    expect(matches('sel:\n  n|gt: 10\ncondition: sel', { n: ['abc', 5, '11'] })).toBe(true);
  });

  it('a time part of one timestamp of several is enough', () => {
    expect(
      matches('sel:\n  t|hour: 9\ncondition: sel', {
        t: ['garbage', '2025-03-04T01:00:00Z', '2025-03-04T09:15:27Z'],
      }),
    ).toBe(true);
  });
});

describe('modifier chains', () => {
  it('say which modifier cannot follow which, and what it may follow', () => {
    expect(diagnostic('sel:\n  f|contains|base64: x\ncondition: sel')).toEqual([
      'invalid-modifier',
      '"base64" cannot follow "contains" in "contains|base64": modifiers apply left to right, and "base64" (matches the base64 encoding of a literal value) may only follow utf16le, utf16be, utf16, wide',
      'detection.sel.f|contains|base64',
    ]);
    expect(diagnostic('sel:\n  f|contains|re: x\ncondition: sel')[1]).toBe(
      '"re" cannot follow "contains" in "contains|re": modifiers apply left to right, and "re" (RE2 regular expression, unanchored and case-sensitive) may only follow nothing but all/neq',
    );
  });

  it.each([
    ['f|contains|contains: x', 'modifier "contains" is given twice'],
    ['f|i: x', '"i" is a sub-modifier of "re" and must follow it'],
    ['f|all|exists: true', '"exists" takes no other modifier (got "all|exists")'],
    ['f|neq|gt: 5', '"neq" cannot be combined with "gt"'],
    ["f|neq|cidr: '10.0.0.0/8'", '"cidr" cannot be combined with "neq|cidr"'],
  ])('%s: %s', (item, message) => {
    expect(diagnostic(`sel:\n  ${item}\ncondition: sel`).slice(0, 2)).toEqual(['invalid-modifier', message]);
  });

  it('reduce to the spec the compiler reads', () => {
    expect(parseModifiers(['re', 'i', 's'], [])).toEqual({
      position: 'equals',
      regex: { i: true, m: false, s: true },
      encoding: undefined,
      base64: undefined,
      comparison: undefined,
      time: undefined,
      all: false,
      cased: false,
      exists: false,
      windash: false,
      cidr: false,
      neq: false,
      fieldref: false,
    });
    expect(parseModifiers(['wide', 'base64offset', 'contains', 'cased', 'all'], [])).toMatchObject({
      position: 'contains',
      encoding: 'utf16le',
      base64: 'base64offset',
      cased: true,
      all: true,
      regex: undefined,
    });
  });
});
