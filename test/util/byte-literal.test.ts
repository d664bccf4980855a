import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteLiteral } from '../../src/util/byte-literal.js';

/** Every start of `literal` in `bytes`, ASCII case ignored, the slow and obvious way. */
function bruteForce(bytes: Buffer, literal: string): number[] {
  const lower = (b: number) => (b >= 0x41 && b <= 0x5a ? b + 0x20 : b);
  const out: number[] = [];
  for (let start = 0; start + literal.length <= bytes.length; start++) {
    let all = true;
    for (let i = 0; i < literal.length && all; i++)
      all = lower(bytes[start + i] as number) === literal.charCodeAt(i);
    if (all) out.push(start);
  }
  return out;
}

/**
 * Bytes drawn mostly from the literal's own letters in both cases, with JSON punctuation and bytes
 * above 0x7f; up to 200 of them (fast-check's default size would keep arrays to ten or so, too
 * short to hold a literal in both cases).
 */
const haystack = (literal: string) =>
  fc
    .array(
      fc.oneof(
        fc.constantFrom(...literal.toUpperCase(), ...literal),
        fc.constantFrom('"', '\\\\', ':', ',', '/', '-', ' '),
        fc.integer({ min: 0, max: 255 }).map((b) => String.fromCharCode(b)),
      ),
      { maxLength: 200, size: 'max' },
    )
    .map((chars) => Buffer.from(chars.join(''), 'latin1'));

describe('searching bytes for a literal, ASCII case ignored', () => {
  it('finds exactly the starts a brute-force search finds, overlapping ones included', () => {
    for (const literal of ['jobs', 'write', 'kube-audit', 'aaa', 'microsoft.kubernetes', '404']) {
      const searcher = new ByteLiteral(literal);
      fc.assert(
        fc.property(haystack(literal), (bytes) => {
          const expected = bruteForce(bytes, literal);
          expect(searcher.positionsIn(bytes)).toEqual(expected);
          expect(searcher.occursIn(bytes)).toBe(expected.length > 0);
        }),
        { numRuns: 300 },
      );
    }
  });

  it('matches capitals and mixed case, and nothing that only looks alike above ASCII', () => {
    const jobs = new ByteLiteral('jobs');
    expect(jobs.positionsIn(Buffer.from('/JOBS/ Jobs jObS jobs'))).toEqual([1, 7, 12, 17]);
    // Latin-1 capitals differ from their small letters by 0x20 as ASCII's do; they are not ASCII.
    expect(jobs.positionsIn(Buffer.from([0x6a, 0x6f, 0xe2, 0x73]))).toEqual([]);
    expect(jobs.occursIn(Buffer.from('jobjobsjob'))).toBe(true);
    expect(jobs.occursIn(Buffer.from('job'))).toBe(false);
    expect(new ByteLiteral('aaa').positionsIn(Buffer.from('AaAa'))).toEqual([0, 1]);
  });

  it('finds the same starts among the places of its letter beside its neighbour (and others, passed over)', () => {
    for (const literal of ['jobs', 'write', 'kube-audit', 'aaa', 'microsoft.kubernetes', 'x-', 'fix', 'j']) {
      const searcher = new ByteLiteral(literal);
      const letter = searcher.pivotLetter as number;
      const beside = searcher.pivotNeighbour;
      const fold = (byte: number | undefined) =>
        byte !== undefined && byte >= 0x41 && byte <= 0x5a ? byte | 0x20 : byte;
      fc.assert(
        fc.property(haystack(literal), fc.integer({ min: 0x61, max: 0x7a }), (bytes, other) => {
          const candidates = [...bytes.keys()].filter((i) => {
            const small = (bytes[i] as number) | 0x20;
            if (small === other) return true;
            return (
              small === letter && (beside === undefined || fold(bytes[i + beside.offset]) === beside.byte)
            );
          });
          expect(searcher.positionsAmong(bytes, Int32Array.from(candidates))).toEqual(
            searcher.positionsIn(bytes),
          );
        }),
        { numRuns: 300 },
      );
    }
  });

  it('names the small letter it is searched from, if it ignores case and starts from a letter', () => {
    expect(new ByteLiteral('jobs').pivotLetter).toBe(0x6a);
    expect(new ByteLiteral('write').pivotLetter).toBe(0x77);
    expect(new ByteLiteral('404').pivotLetter).toBeUndefined();
    expect(new ByteLiteral('"AuditId"', true).pivotLetter).toBeUndefined();
  });

  it('names the byte beside that letter: the next one, else the one before', () => {
    expect(new ByteLiteral('jobs').pivotNeighbour).toEqual({ offset: 1, byte: 0x6f });
    expect(new ByteLiteral('cronjobs').pivotNeighbour).toEqual({ offset: 1, byte: 0x6f });
    expect(new ByteLiteral('/jobs').pivotNeighbour).toEqual({ offset: 1, byte: 0x6f });
    expect(new ByteLiteral('fix').pivotNeighbour).toEqual({ offset: -1, byte: 0x69 });
    expect(new ByteLiteral('x-').pivotNeighbour).toEqual({ offset: 1, byte: 0x2d });
    expect(new ByteLiteral('j').pivotNeighbour).toBeUndefined();
    expect(new ByteLiteral('404').pivotNeighbour).toBeUndefined();
    expect(new ByteLiteral('"AuditId"', true).pivotNeighbour).toBeUndefined();
  });

  it('says whether it searches from one of the rarest letters, where a memchr per hit pays', () => {
    expect(new ByteLiteral('jobs').rare).toBe(true);
    expect(new ByteLiteral('write').rare).toBe(true);
    expect(new ByteLiteral('batch').rare).toBe(false);
    expect(new ByteLiteral('"log_s"', true).rare).toBe(true);
    expect(new ByteLiteral('"AuditId"', true).rare).toBe(true);
    expect(new ByteLiteral('"items"', true).rare).toBe(false);
  });
});

describe('the nearest start of a literal on either side of a place', () => {
  /** The first start at or after `from`, and the last at or before `at`, from every start. */
  const nearest = (starts: readonly number[], at: number) => ({
    next: starts.find((start) => start >= at) ?? -1,
    previous: [...starts].reverse().find((start) => start <= at) ?? -1,
  });

  it('finds what Buffer.indexOf and lastIndexOf find for a literal searched as written', () => {
    for (const literal of ['"log":"', 'aa', '"', 'Jobs']) {
      const searcher = new ByteLiteral(literal, true);
      const needle = Buffer.from(literal, 'latin1');
      fc.assert(
        fc.property(haystack(literal), fc.integer({ min: -3, max: 205 }), (bytes, at) => {
          expect(searcher.indexIn(bytes, at)).toBe(bytes.indexOf(needle, Math.max(at, 0)));
          // Buffer's lastIndexOf counts a negative offset from the end; the search finds nothing before 0.
          expect(searcher.lastIndexIn(bytes, at)).toBe(at < 0 ? -1 : bytes.lastIndexOf(needle, at));
        }),
        { numRuns: 300 },
      );
    }
  });

  it('finds the nearest start in either case when case is ignored', () => {
    for (const literal of ['jobs', 'aaa', 'x-']) {
      const searcher = new ByteLiteral(literal);
      fc.assert(
        fc.property(haystack(literal), fc.integer({ min: 0, max: 205 }), (bytes, at) => {
          const expected = nearest(bruteForce(bytes, literal), at);
          expect(searcher.indexIn(bytes, at)).toBe(expected.next);
          expect(searcher.lastIndexIn(bytes, at)).toBe(expected.previous);
        }),
        { numRuns: 300 },
      );
    }
  });

  it('takes a start at the very place, at the first byte and at the last', () => {
    const log = new ByteLiteral('"log":"', true);
    const bytes = Buffer.from('"log":"a","log":"');
    expect(log.indexIn(bytes, 0)).toBe(0);
    expect(log.lastIndexIn(bytes, 0)).toBe(0);
    expect(log.indexIn(bytes, 1)).toBe(10);
    expect(log.lastIndexIn(bytes, 9)).toBe(0);
    expect(log.lastIndexIn(bytes, 10)).toBe(10);
    expect(log.indexIn(bytes, 11)).toBe(-1);
    const jobs = new ByteLiteral('jobs');
    expect(jobs.indexIn(Buffer.from('JOBS jobs'), 1)).toBe(5);
    expect(jobs.lastIndexIn(Buffer.from('jobs JOBS'), 4)).toBe(0);
    expect(jobs.lastIndexIn(Buffer.from('jobs JOBS'), 5)).toBe(5);
  });

  it('takes the nearer of a small and a capital start on the same side', () => {
    const jobs = new ByteLiteral('jobs');
    // Both cases after the place: the nearer is the first, whichever case it is written in.
    expect(jobs.indexIn(Buffer.from('x JOBS jobs'), 0)).toBe(2);
    expect(jobs.indexIn(Buffer.from('x jobs JOBS'), 0)).toBe(2);
    // A start at position 0 in either case is the nearest, not a miss.
    expect(jobs.indexIn(Buffer.from('jobs JOBS'), 0)).toBe(0);
    expect(jobs.indexIn(Buffer.from('JOBS jobs'), 0)).toBe(0);
    // Both before the place: the nearer is the last.
    expect(jobs.lastIndexIn(Buffer.from('jobs JOBS x'), 10)).toBe(5);
    expect(jobs.lastIndexIn(Buffer.from('JOBS jobs x'), 10)).toBe(5);
    // A literal found as written has one case to search: its capital is another literal.
    const cased = new ByteLiteral('"log":"', true);
    expect(cased.indexIn(Buffer.from('"LOG":"a","log":"'), 0)).toBe(10);
    expect(cased.lastIndexIn(Buffer.from('"log":"a","LOG":"'), 16)).toBe(0);
  });
});
