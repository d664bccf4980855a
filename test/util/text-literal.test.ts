import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TextLiteral, textLiteral } from '../../src/util/text-literal.js';

/** Text drawn mostly from the literal's own characters, with JSON punctuation, escapes and characters beyond latin1. */
const haystack = (literal: string) =>
  fc
    .array(
      fc.oneof(
        fc.constantFrom(...literal),
        fc.constantFrom('"', '\\', ':', ',', '{', '}', ' ', '\\"', literal),
        fc.string({ unit: 'binary', maxLength: 2 }),
      ),
      { maxLength: 60, size: 'max' },
    )
    .map((parts) => parts.join(''));

describe('finding a literal in a string from its rarest character', () => {
  it('finds what indexOf finds, from any start', () => {
    for (const literal of ['"log":"', '"log"', '\\"user\\"', '\\"objectRef\\"', 'jobs', 'aa', 'x']) {
      const search = new TextLiteral(literal);
      fc.assert(
        fc.property(haystack(literal), fc.integer({ min: -5, max: 70 }), (text, from) => {
          expect(search.indexIn(text, from)).toBe(text.indexOf(literal, from));
          expect(search.indexIn(text)).toBe(text.indexOf(literal));
        }),
        { numRuns: 300 },
      );
    }
  });

  it('searches from the rarest character: never a quote or a backslash when a letter is there', () => {
    expect(new TextLiteral('"log":"').pivot).toBe(3);
    // Capitals are rarer than small letters in JSON logs.
    expect(new TextLiteral('\\"objectRef\\"').pivot).toBe(8);
    expect(new TextLiteral('\\"user\\"').pivot).toBe(2);
    expect(new TextLiteral('"a"').pivot).toBe(1);
    expect(new TextLiteral('::').pivot).toBe(0);
  });

  it('makes the search for a literal once', () => {
    expect(textLiteral('"log":"')).toBe(textLiteral('"log":"'));
    expect(textLiteral('"log":"').literal).toBe('"log":"');
    expect(textLiteral('"log"')).not.toBe(textLiteral('"log":"'));
  });
});
