import { describe, expect, it } from 'vitest';
import { lintYaml, matches, ruleYaml } from '../helpers/rules.js';

/** The diagnostics of a rule with one selection and the given condition (YAML scalar). */
const diagnostics = (condition: string) =>
  lintYaml(ruleYaml(`sel:\n  operationName: x\ncondition: ${condition}`)).diagnostics.map((d) => ({
    code: d.code,
    message: d.message,
    ...(d.feature === undefined ? {} : { feature: d.feature, optionalInSpec: d.optionalInSpec }),
  }));

describe('condition errors name what is wrong and where', () => {
  it.each([
    ["'   '", 'the condition is empty'],
    ["'(sel'", 'condition "(sel" ends early: expected ")"'],
    ["'(sel sel'", 'condition "(sel sel" at offset 5: expected ")" but found "sel"'],
    [
      "'x of sel*'",
      'condition "x of sel*" at offset 0: expected "1", "any" or "all" before "of" but found "x"',
    ],
    [
      "'2x of sel*'",
      'condition "2x of sel*" at offset 0: expected "1", "any" or "all" before "of" but found "2x"',
    ],
    [
      "'x2 of sel*'",
      'condition "x2 of sel*" at offset 0: expected "1", "any" or "all" before "of" but found "x2"',
    ],
    [
      "'1 of and'",
      'condition "1 of and" at offset 5: expected a search-identifier pattern after "of" but found "and"',
    ],
    ["'1 of'", 'condition "1 of" ends early: expected a search-identifier pattern or "them" after "of"'],
    ["'sel and'", 'condition "sel and" ends early: expected an identifier, "x of", "not" or "("'],
    ["'sel )'", 'condition "sel )" at offset 4: unexpected ")"'],
  ])('%s', (condition, message) => {
    expect(diagnostics(condition)).toEqual([{ code: 'condition-syntax', message }]);
  });

  it('refuses aggregations and counts other than 1 as optional or unspecified features', () => {
    expect(diagnostics("'sel | count() by x > 5'")).toEqual([
      {
        code: 'unsupported-feature',
        message:
          'aggregation expressions ("| count() …") are not supported; use a Sigma correlation rule instead',
        feature: 'condition aggregation',
        optionalInSpec: true,
      },
    ]);
    expect(diagnostics("'12 of sel*'")).toEqual([
      {
        code: 'unsupported-feature',
        message: '"12 of" is not defined by the Sigma specification (only "1 of", "any of" and "all of")',
        feature: '12 of',
        optionalInSpec: false,
      },
    ]);
  });

  it('accepts trailing blanks, and many parenthesised groups side by side', () => {
    expect(diagnostics("'sel  '")).toEqual([]);
    const groups = Array.from({ length: 120 }, () => '(sel)').join(' and ');
    expect(diagnostics(`'${groups}'`)).toEqual([]);
    expect(matches(`sel:\n  f: x\ncondition: '${groups}'`, { f: 'x' })).toBe(true);
  });
});
