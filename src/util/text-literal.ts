import { CASED_RARITY, rank } from './letter-rarity.js';

/**
 * Finds a literal, as written, in a string from its rarest character on. V8's `indexOf` looks for
 * a pattern's first character and checks the rest at each hit; in JSON a key's first character is
 * a quote, which stands every few characters, so `"log":"` is found three times faster from its `g`.
 */
export class TextLiteral {
  /** Index in the literal of the character searched for: its rarest. */
  readonly pivot: number;
  private readonly head: string;
  private readonly tail: string;

  constructor(readonly literal: string) {
    let pivot = 0;
    for (let i = 1; i < literal.length; i++)
      if (rank(literal.charCodeAt(i), CASED_RARITY) < rank(literal.charCodeAt(pivot), CASED_RARITY))
        pivot = i;
    this.pivot = pivot;
    this.head = literal.slice(0, pivot);
    this.tail = literal.slice(pivot);
  }

  /** Where the literal first starts in `text` at or after `from`, or -1; as `text.indexOf(literal, from)`. */
  indexIn(text: string, from = 0): number {
    const first = Math.max(from, 0) + this.pivot;
    for (let at = text.indexOf(this.tail, first); at >= 0; at = text.indexOf(this.tail, at + 1))
      if (text.startsWith(this.head, at - this.pivot)) return at - this.pivot;
    return -1;
  }
}

const MADE = new Map<string, TextLiteral>();

/**
 * The search for a literal of the program's own (a source's key, a rule's field name), made once:
 * never one from input, which would grow the memo without bound.
 */
export function textLiteral(literal: string): TextLiteral {
  let made = MADE.get(literal);
  if (made === undefined) {
    made = new TextLiteral(literal);
    MADE.set(literal, made);
  }
  return made;
}
