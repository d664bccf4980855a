import { describe, expect, it } from 'vitest';
import { parseCondition } from '../../src/sigma/condition.js';
import { lintYaml, matches, ruleYaml } from '../helpers/rules.js';

const base = 'a:\n  x: 1\nb:\n  y: 1\nc:\n  z: 1\n_hidden:\n  h: 1\n';

describe('conditions', () => {
  it.each([
    ['a and b', { x: 1, y: 1 }, true],
    ['a and b', { x: 1 }, false],
    ['a or b', { y: 1 }, true],
    ['not a', { y: 1 }, true],
    ['not a', { x: 1 }, false],
    ['a and not b', { x: 1, y: 1 }, false],
    ['a or b and c', { x: 1 }, true],
    ['(a or b) and c', { x: 1 }, false],
    ['not a or b', { x: 1, y: 1 }, true],
    ['not (a or b)', { y: 1 }, false],
    ['1 of them', { z: 1 }, true],
    ['1 of them', { h: 1 }, false],
    ['all of them', { x: 1, y: 1, z: 1 }, true],
    ['all of them', { x: 1, y: 1 }, false],
    ['any of a', { x: 1 }, true],
    // Patterns leave out `_` identifiers as `them` does (pySigma, issue 12).
    ['1 of *', { h: 1 }, false],
    ['all of *', { x: 1, y: 1, z: 1 }, true],
    ['all of *', { x: 1, y: 1, z: 1, h: 1 }, true],
    ['all of a* and not 1 of b*', { x: 1 }, true],
    ['a AND b OR NOT c', { x: 1, y: 1, z: 1 }, true],
  ])('%s on %j is %s', (condition, record, expected) => {
    const detection = `${base}condition: ${condition}`;
    expect(matches(detection, record)).toBe(expected);
  });

  it('a list of conditions is OR', () => {
    expect(matches(`${base}condition:\n  - a\n  - b`, { y: 1 })).toBe(true);
  });

  it('binds not tighter than and, and tighter than or', () => {
    expect(parseCondition('not a and b or c', [])).toEqual({
      kind: 'or',
      children: [
        {
          kind: 'and',
          children: [
            { kind: 'not', child: { kind: 'ref', name: 'a' } },
            { kind: 'ref', name: 'b' },
          ],
        },
        { kind: 'ref', name: 'c' },
      ],
    });
  });

  it.each([
    ['a and', /ends early/],
    ['a b', /unexpected "b"/],
    ['(a or b', /ends early/],
    ['a or )', /unexpected "\)"/],
    ['2 of a*', /not defined/],
    ['missing', /not a search identifier/],
    ['1 of nothing*', /selects no search identifier/],
    ['1 of ?', /selects no search identifier/],
    ['1 of _h*', /selects no search identifier/],
    ['a | count() > 5', /aggregation/],
  ])('rejects %j', (condition, message) => {
    const report = lintYaml(ruleYaml(`${base}condition: ${condition}`));
    expect(report.status).toBe('error');
    expect(report.diagnostics.map((d) => d.message).join('\n')).toMatch(message);
  });
});
