import { describe, expect, it } from 'vitest';
import { ANY_CHAR, ANY_RUN, parseSigmaString } from '../../src/sigma/sigma-string.js';

describe('parseSigmaString (specification escaping rules)', () => {
  it.each([
    ['plain', ['plain']],
    ['a*b', ['a', ANY_RUN, 'b']],
    ['a?b', ['a', ANY_CHAR, 'b']],
    ['a\\*b', ['a*b']],
    ['a\\?b', ['a?b']],
    ['C:\\Windows\\cmd.exe', ['C:\\Windows\\cmd.exe']],
    ['C:\\\\Windows', ['C:\\Windows']],
    ['\\\\*', ['\\', ANY_RUN]],
    ['\\\\\\*', ['\\*']],
    ['\\\\\\\\', ['\\\\']],
    ['trailing\\', ['trailing\\']],
    ['**a**', [ANY_RUN, 'a', ANY_RUN]],
    ['', []],
  ])('%j parses to %j', (raw, parts) => {
    expect(parseSigmaString(raw).parts).toEqual(parts);
  });
});
