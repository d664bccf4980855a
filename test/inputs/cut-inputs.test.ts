import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readInputs, type InputItem } from '../../src/inputs/read-inputs.js';
import { writeCapture } from '../helpers/capture.js';
import { cli } from '../helpers/cli.js';
import { activityRecord } from '../helpers/detector.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'kjd-cut-'));

async function collect(path: string): Promise<InputItem[]> {
  const out: InputItem[] = [];
  for await (const item of readInputs([path])) out.push(item);
  return out;
}

/** A Capture file of `events` CronJob writes, in blocks of about one event each. */
async function captureFile(events: number): Promise<string> {
  const file = join(tmp(), 'capture.avro');
  const op = 'MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/CRONJOBS/WRITE';
  const bodies = Array.from({ length: events }, (_, i) =>
    Buffer.from(JSON.stringify({ records: [activityRecord(op, { correlationId: `c-${i}` })] })),
  );
  await writeCapture(file, bodies, 64);
  return file;
}

describe('a cut Capture Avro file', () => {
  it('is read up to the cut, and the cut is reported with its byte offset', async () => {
    const file = await captureFile(5);
    const whole = await collect(file);
    expect(whole.filter((i) => i.kind === 'problem')).toEqual([]);
    const size = readFileSync(file).length;
    truncateSync(file, size - 40);
    const items = await collect(file);
    expect(items.filter((i) => i.kind === 'body')).toHaveLength(4);
    const problems = items.filter((i) => i.kind === 'problem');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      where: expect.stringMatching(/capture\.avro, byte \d+$/) as string,
      message: expect.stringMatching(/after 4 event\(s\).*the file is cut/) as string,
    });
  });

  it('names a sync marker that does not match', async () => {
    const file = await captureFile(3);
    const bytes = readFileSync(file);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff;
    writeFileSync(file, bytes);
    const problems = (await collect(file)).filter((i) => i.kind === 'problem');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      where: `${file}, byte ${bytes.length - 16}`,
      message: expect.stringMatching(/sync marker at byte \d+ does not match/) as string,
    });
  });

  it('makes scan exit 3, naming the file and the byte', async () => {
    const file = await captureFile(3);
    truncateSync(file, readFileSync(file).length - 10);
    const { code, stderr } = await cli('scan', file);
    expect(code).toBe(3);
    expect(stderr).toContain(`${file}, byte `);
  });
});

describe('JSON Lines whose first line is cut', () => {
  it('are read as JSON Lines, from the evidence of the following lines', async () => {
    const file = join(tmp(), 'PT1H.json');
    const line = (i: number): string =>
      JSON.stringify(
        activityRecord('MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/JOBS/WRITE', {
          correlationId: `c-${i}`,
        }),
      );
    // The first record was cut mid-object (a partial download, a rotated blob).
    const lines = [line(0).slice(0, 70), ...Array.from({ length: 20 }, (_, i) => line(i + 1))];
    writeFileSync(file, `${lines.join('\n')}\n`);
    const items = await collect(file);
    expect(items.filter((i) => i.kind === 'body')).toHaveLength(20);
    expect(items.filter((i) => i.kind === 'problem')).toEqual([
      expect.objectContaining({ where: `${file}, line 1` }),
    ]);

    // Decided after a few lines, not at the end: a stream that has not ended yields bodies already
    // (a whole-document reader would hold a 568 MB export in memory, then give up on it).
    const stdin = new PassThrough();
    stdin.write(`${lines.join('\n')}\n`);
    const streamed: InputItem[] = [];
    for await (const item of readInputs(['-'], { stdin })) {
      streamed.push(item);
      if (streamed.length === 12) break;
    }
    expect(streamed[0]).toMatchObject({ kind: 'problem', where: '(stdin), line 1' });
    expect(streamed.slice(1).every((i) => i.kind === 'body')).toBe(true);
  });

  it('short files too: the evidence is what there is', async () => {
    const file = join(tmp(), 'PT1H.json');
    const line = JSON.stringify(
      activityRecord('MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/JOBS/WRITE'),
    );
    writeFileSync(file, `${line.slice(0, 50)}\n${line}\n${line}\n`);
    expect((await collect(file)).filter((i) => i.kind === 'body')).toHaveLength(2);
  });
});

describe('a cut pretty-printed JSON document', () => {
  it('is one problem, not one per line', async () => {
    const file = join(tmp(), 'body.json');
    const pretty = JSON.stringify(
      { records: [activityRecord('MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/JOBS/WRITE')] },
      null,
      2,
    );
    writeFileSync(file, pretty.slice(0, Math.floor(pretty.length * 0.7)));
    const items = await collect(file);
    expect(items).toEqual([
      {
        kind: 'problem',
        where: `${file}, line 1`,
        message: expect.stringMatching(/one document of \d+ line\(s\), read as a whole/) as string,
      },
    ]);
  });
});
