import { describe, expect, it } from 'vitest';
import { matches } from '../helpers/rules.js';

// These inputs take exponential or high-polynomial time in a backtracking engine. The test
// asserts the answers; the vitest timeout is the only clock, so a regression shows as a timeout.
describe('linear-time matching on attacker-controlled input', () => {
  const input = 'a'.repeat(100_000);

  it('re runs a catastrophic-backtracking pattern over 100 KB', () => {
    expect(matches("sel:\n  f|re: '(a+)+$b'\ncondition: sel", { f: input })).toBe(false);
    expect(matches("sel:\n  f|re: '(a|aa)*c'\ncondition: sel", { f: input })).toBe(false);
    expect(matches("sel:\n  f|re: '(a|aa)*$'\ncondition: sel", { f: input })).toBe(true);
  }, 10_000);

  it('wildcards with many stars do not backtrack exponentially', () => {
    expect(matches("sel:\n  f: '*a*a*a*a*a*a*a*b'\ncondition: sel", { f: input })).toBe(false);
    expect(matches("sel:\n  f: '*a?a*a?a*'\ncondition: sel", { f: input })).toBe(true);
  }, 10_000);
});
