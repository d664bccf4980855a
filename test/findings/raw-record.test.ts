import { describe, expect, it } from 'vitest';
import { boundRawRecord } from '../../src/findings/raw-record.js';

/** The RawRecord column keeps a record whole up to its byte budget, and cuts it on a character boundary past it. */

describe('boundRawRecord', () => {
  const record = { text: 'abcdef' };
  const json = JSON.stringify(record);

  it('a record of exactly the budget is kept whole', () => {
    expect(boundRawRecord(record, json.length)).toEqual({ value: record, truncated: false });
  });

  it('one byte over the budget is cut to the budget', () => {
    expect(boundRawRecord(record, json.length - 1)).toEqual({ value: json.slice(0, -1), truncated: true });
  });

  it('the budget counts UTF-8 bytes, not characters', () => {
    const euro = { text: '€€' };
    const size = Buffer.byteLength(JSON.stringify(euro));
    expect(boundRawRecord(euro, size)).toEqual({ value: euro, truncated: false });
    expect(boundRawRecord(euro, JSON.stringify(euro).length).truncated).toBe(true);
  });

  it('a cut inside a multi-byte character drops the partial character', () => {
    // '{"text":"' is 9 bytes; '€' is 3: a budget of 11 ends inside the first one.
    expect(boundRawRecord({ text: '€€' }, 11)).toEqual({ value: '{"text":"', truncated: true });
    expect(boundRawRecord({ text: '€€' }, 12)).toEqual({ value: '{"text":"€', truncated: true });
  });

  it('undefined is kept as null-sized', () => {
    expect(boundRawRecord(undefined, 4)).toEqual({ value: undefined, truncated: false });
    expect(boundRawRecord(undefined, 3)).toEqual({ value: 'nul', truncated: true });
  });

  it('a record that cannot be serialised says why', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    const bounded = boundRawRecord(cyclic, 1000);
    expect(bounded.truncated).toBe(true);
    expect(bounded.value).toMatch(/^unserialisable record: Converting circular structure to JSON/);
  });

  it('a thrown non-Error is kept as text', () => {
    const hostile = {
      toJSON() {
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- a hostile toJSON may throw anything
        throw 'no';
      },
    };
    expect(boundRawRecord(hostile, 1000)).toEqual({ value: 'unserialisable record: no', truncated: true });
  });
});
