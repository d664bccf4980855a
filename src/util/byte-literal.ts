/**
 * Finds an ASCII literal in a body without making a string of it: memchr (`Buffer.indexOf` of one
 * byte) for the literal's rarest byte (in both cases when ASCII case is ignored), then a check of
 * the bytes around each hit. On JSON logs this runs near memory speed, several times faster than
 * lower-casing the body or a case-insensitive regular expression. Written by hand: no library
 * searches bytes case-insensitively, and `Buffer.indexOf` of a short needle restarts at every
 * occurrence of its first byte, which in JSON is often a quote.
 */

import { CASED_RARITY, RARITY, rank } from './letter-rarity.js';

const isLetter = (code: number): boolean => code >= 0x61 && code <= 0x7a;

/** A byte standing `offset` from another (the next one, or the one before). */
export interface Neighbour {
  readonly offset: 1 | -1;
  readonly byte: number;
}

export class ByteLiteral {
  private readonly codes: Uint8Array;
  /** Index in the literal of the byte searched for. */
  private readonly pivot: number;
  private readonly lower: number;
  private readonly upper: number;
  /**
   * The literal's byte after its pivot letter (else before it), as `offset` from the pivot: a census
   * of the letter with that byte beside it passes over most places of the letter alone. Undefined
   * for a literal of one byte, or one without a `pivotLetter`.
   */
  readonly pivotNeighbour: Neighbour | undefined;

  /**
   * Whether the byte searched for is one of the rarest letters (`j q z x k v w y`, or `_` and
   * capitals when cased): then a memchr per hit is cheap. A literal made only of common letters is
   * better found by a skipping search (a regular expression's Boyer-Moore) over a string view.
   */
  get rare(): boolean {
    return rank(this.lower, this.cased ? CASED_RARITY : RARITY) < (this.cased ? 27 : 8);
  }

  /**
   * `literal` in lower case, found whatever its ASCII case; with `cased`, `literal` as written,
   * found only so.
   */
  constructor(
    readonly literal: string,
    private readonly cased = false,
  ) {
    this.codes = Uint8Array.from(literal, (ch) => ch.charCodeAt(0));
    const order = cased ? CASED_RARITY : RARITY;
    let pivot = 0;
    for (let i = 1; i < this.codes.length; i++)
      if (rank(this.codes[i] as number, order) < rank(this.codes[pivot] as number, order)) pivot = i;
    this.pivot = pivot;
    this.lower = this.codes[pivot] as number;
    this.upper = isLetter(this.lower) && !cased ? this.lower - 0x20 : this.lower;
    const offset = pivot + 1 < this.codes.length ? 1 : -1;
    this.pivotNeighbour =
      this.pivotLetter === undefined || this.codes.length < 2
        ? undefined
        : { offset, byte: this.codes[pivot + offset] as number };
  }

  /** Every position where the literal starts, in order (occurrences may overlap). */
  positionsIn(bytes: Buffer): number[] {
    const out: number[] = [];
    this.scan(bytes, this.lower, out, false);
    if (this.upper !== this.lower) {
      const upper: number[] = [];
      this.scan(bytes, this.upper, upper, false);
      if (upper.length > 0) return merge(out, upper);
    }
    return out;
  }

  /**
   * The small letter searched for, when the literal ignores case and is searched from a letter: a
   * census (`ByteCensus`) of that letter gives the positions to check instead of memchr.
   */
  get pivotLetter(): number | undefined {
    return !this.cased && isLetter(this.lower) ? this.lower : undefined;
  }

  /**
   * `positionsIn`, checking only the `candidates` (ascending positions of bytes, at least every one
   * of `pivotLetter` in either case with `pivotNeighbour` beside it; others are passed over).
   */
  positionsAmong(bytes: Buffer, candidates: ArrayLike<number>): number[] {
    const out: number[] = [];
    for (let i = 0; i < candidates.length; i++) {
      const at = candidates[i] as number;
      const start = at - this.pivot;
      // The other letter's positions are passed over by their byte, before any bounds are read.
      if (((bytes[at] as number) | 0x20) !== this.lower) continue;
      if (start >= 0 && start + this.codes.length <= bytes.length && this.matchesAt(bytes, start))
        out.push(start);
    }
    return out;
  }

  /** Where the literal first starts at or after `from`, or -1 (as `Buffer.indexOf`, from the rarest byte). */
  indexIn(bytes: Buffer, from: number): number {
    return this.nearest(bytes, Math.max(from, 0) + this.pivot, true);
  }

  /** Where the literal last starts at or before `at`, or -1 (as `Buffer.lastIndexOf`, from the rarest byte). */
  lastIndexIn(bytes: Buffer, at: number): number {
    return at < 0 ? -1 : this.nearest(bytes, at + this.pivot, false);
  }

  occursIn(bytes: Buffer): boolean {
    const out: number[] = [];
    return (
      this.scan(bytes, this.lower, out, true) ||
      (this.upper !== this.lower && this.scan(bytes, this.upper, out, true))
    );
  }

  /** The start nearest `from` (its pivot byte at or after it, or at or before it), in either case when case is ignored. */
  private nearest(bytes: Buffer, from: number, forward: boolean): number {
    const lower = this.nearestAround(bytes, this.lower, from, forward);
    if (this.upper === this.lower) return lower;
    const upper = this.nearestAround(bytes, this.upper, from, forward);
    if (lower < 0 || upper < 0) return Math.max(lower, upper);
    return forward ? Math.min(lower, upper) : Math.max(lower, upper);
  }

  private nearestAround(bytes: Buffer, byte: number, from: number, forward: boolean): number {
    const length = this.codes.length;
    let at = forward ? bytes.indexOf(byte, from) : bytes.lastIndexOf(byte, from);
    while (at >= 0) {
      const start = at - this.pivot;
      if (start >= 0 && start + length <= bytes.length && this.matchesAt(bytes, start)) return start;
      // `lastIndexOf` from -1 would search from the end again.
      at = forward ? bytes.indexOf(byte, at + 1) : at === 0 ? -1 : bytes.lastIndexOf(byte, at - 1);
    }
    return -1;
  }

  /** Collects the starts of the literal around each `byte`; with `first`, stops at the first one. */
  private scan(bytes: Buffer, byte: number, out: number[], first: boolean): boolean {
    const last = bytes.length - this.codes.length + this.pivot;
    for (let at = bytes.indexOf(byte, this.pivot); at >= 0 && at <= last; at = bytes.indexOf(byte, at + 1)) {
      const start = at - this.pivot;
      if (this.matchesAt(bytes, start)) {
        out.push(start);
        if (first) return true;
      }
    }
    return out.length > 0;
  }

  private matchesAt(bytes: Buffer, start: number): boolean {
    const codes = this.codes;
    for (let i = 0; i < codes.length; i++) {
      const want = codes[i] as number;
      const got = bytes[start + i] as number;
      // `| 0x20` maps an ASCII capital onto its small letter, and nothing else onto a small letter.
      if (got !== want && (this.cased || !isLetter(want) || (got | 0x20) !== want)) return false;
    }
    return true;
  }
}

function merge(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length)
    out.push(
      j >= b.length || (i < a.length && (a[i] as number) < (b[j] as number))
        ? (a[i++] as number)
        : (b[j++] as number),
    );
  return out;
}
