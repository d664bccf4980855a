import { existsSync, mkdtempSync, mkdirSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import { oneByOne, readInputBatches, readInputs, type InputItem } from '../../src/inputs/read-inputs.js';
import { CAPTURE_SCHEMA } from '../helpers/capture.js';

async function collect(paths: string[], stdin?: Readable): Promise<InputItem[]> {
  const out: InputItem[] = [];
  for await (const item of readInputs(paths, stdin === undefined ? {} : { stdin })) out.push(item);
  return out;
}

const tmp = () => mkdtempSync(join(tmpdir(), 'kjd-inputs-'));
/** JSON Lines come through as bytes (for the prefilter); a pretty-printed document as a value. */
const value = (item: InputItem | undefined): unknown =>
  item?.kind === 'body'
    ? Buffer.isBuffer(item.body)
      ? (JSON.parse(item.body.toString('utf8')) as unknown)
      : item.body
    : item;
const rec = (n: number) => ({ operationName: `OP${n}` });

describe('readInputs', () => {
  it('reads a pretty-printed JSON document as one body', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'body.json'), JSON.stringify({ records: [rec(1), rec(2)] }, null, 2));
    const items = await collect([join(dir, 'body.json')]);
    expect(items).toEqual([
      {
        kind: 'body',
        body: { records: [rec(1), rec(2)] },
        origin: { file: join(dir, 'body.json'), line: 1 },
      },
    ]);
  });

  it('reads JSON Lines with a BOM and CRLF, one body per line as bytes, keeping line numbers', async () => {
    const dir = tmp();
    const file = join(dir, 'PT1H.json');
    writeFileSync(
      file,
      `\uFEFF${JSON.stringify(rec(1))}\r\n${JSON.stringify(rec(2))}\r\n{"broken": \r\n\r\n${JSON.stringify(rec(4))}\r\n`,
    );
    const items = await collect([file]);
    expect([items[0], items[1], items[3]].map(value)).toEqual([rec(1), rec(2), rec(4)]);
    // A bad line goes on as text too; the detector names it with this origin (see the scan tests).
    expect(items[2]).toEqual({
      kind: 'body',
      body: Buffer.from('{"broken": '),
      origin: { file, line: 3 },
      anyShape: true,
    });
    expect(items[3]).toMatchObject({ origin: { line: 5 } });
  });

  it('names a first line that is neither JSON nor the start of a document', async () => {
    const dir = tmp();
    const file = join(dir, 'notes.jsonl');
    writeFileSync(file, `hello\n${JSON.stringify(rec(2))}\n`);
    const items = await collect([file]);
    expect(items[0]).toMatchObject({ kind: 'problem', where: `${file}, line 1` });
    expect(value(items[1])).toEqual(rec(2));
  });

  it('takes a first line as the start of a document only when it opens with a brace or bracket', async () => {
    const indented = await collect(['-'], Readable.from([Buffer.from('  {\n  "a": 1\n  }\n')]));
    expect(indented.map(value)).toEqual([{ a: 1 }]);
    const prose = await collect(['-'], Readable.from([Buffer.from(`note {\n${JSON.stringify(rec(2))}\n`)]));
    expect(prose[0]).toMatchObject({ kind: 'problem', where: '(stdin), line 1' });
    expect(value(prose[1])).toEqual(rec(2));
  });

  it('salvages the parseable lines of a file whose first line is corrupt', async () => {
    const dir = tmp();
    const file = join(dir, 'PT1H.json');
    writeFileSync(file, `{"records": [\n${JSON.stringify(rec(2))}\n${JSON.stringify(rec(3))}\n`);
    const items = await collect([file]);
    expect(items.filter((i) => i.kind === 'body').map(value)).toEqual([rec(2), rec(3)]);
    expect(items.filter((i) => i.kind === 'problem')).toHaveLength(1);
  });

  it('skips a line only when it is white space, and takes a BOM off the first line only', async () => {
    const lines = [
      JSON.stringify(rec(1)),
      '\t\r \u000b\u000c',
      '\u0001',
      'é',
      '\u2028\u00a0',
      `\uFEFF${JSON.stringify(rec(6))}`,
    ];
    const items = await collect(['-'], Readable.from([Buffer.from(lines.join('\n'), 'utf8')]));
    expect(items.map((i) => (i.kind === 'body' ? [i.origin.line, String(i.body)] : i))).toEqual([
      [1, lines[0]],
      [3, lines[2]],
      [4, lines[3]],
      [6, lines[5]],
    ]);
  });

  it('salvages JSON Lines after a cut first line, with their line numbers, however many blank lines come first', async () => {
    const cut = '{"records": [';
    const text = [cut, ...Array<string>(8).fill(''), JSON.stringify(rec(2)), '', JSON.stringify(rec(3))].join(
      '\n',
    );
    const items = await collect(['-'], Readable.from([Buffer.from(text)]));
    expect(items.map((i) => (i.kind === 'body' ? [i.origin.line, value(i)] : i))).toEqual([
      { kind: 'problem', where: '(stdin), line 1', message: expect.any(String) as unknown },
      [10, rec(2)],
      [12, rec(3)],
    ]);
  });

  it('reads a pretty-printed document whose lines hold values or objects of their own as one document', async () => {
    // Lines that parse alone: numbers and nulls early on, empty objects after the first eight lines.
    const documents = [
      [[1], [2]],
      [[null], [null]],
      {
        ...Object.fromEntries(Array.from({ length: 8 }, (_, n) => [`pad${n}`, n])),
        a: [{}],
        b: [{}],
        c: [{}],
      },
    ];
    for (const document of documents) {
      const [first, ...rest] = JSON.stringify(document, null, 2).split('\n');
      // A blank line inside a document is still JSON.
      const text = [first, '', ...rest].join('\n');
      const items = await collect(['-'], Readable.from([Buffer.from(text)]));
      expect(items.map(value)).toEqual([document]);
    }
  });

  it('reads Event Hubs Capture Avro files, one body per event', async () => {
    const dir = tmp();
    const file = join(dir, 'capture.avro');
    const encoder = avro.createFileEncoder(file, CAPTURE_SCHEMA);
    const bodies = [{ records: [rec(1)] }, { records: [rec(2), rec(3)] }];
    bodies.forEach((b, i) =>
      encoder.write({
        SequenceNumber: i,
        Offset: String(i * 100),
        EnqueuedTimeUtc: '3/4/2025 9:15:27 AM',
        SystemProperties: {},
        Properties: {},
        Body: Buffer.from(JSON.stringify(b)),
      }),
    );
    encoder.write({
      SequenceNumber: 2,
      Offset: '200',
      EnqueuedTimeUtc: '3/4/2025 9:15:28 AM',
      SystemProperties: {},
      Properties: {},
      Body: null,
    });
    encoder.end();
    await new Promise((resolve) => encoder.on('finish', resolve));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const items = await collect([file]);
    expect(
      items
        .slice(0, 2)
        .map((i) => (i.kind === 'body' ? JSON.parse(Buffer.from(i.body as Uint8Array).toString()) : i)),
    ).toEqual(bodies);
    expect(items[1]).toMatchObject({ origin: { file, event: 1 } });
    expect(items[2]).toMatchObject({ kind: 'problem', where: `${file}, event 2` });
  });

  it('walks directories recursively in a stable order, skipping other file types', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'b', 'c'), { recursive: true });
    writeFileSync(join(dir, 'b', 'c', 'z.json'), JSON.stringify(rec(3)));
    writeFileSync(join(dir, 'a.jsonl'), `${JSON.stringify(rec(1))}\n`);
    writeFileSync(join(dir, 'b', 'notes.txt'), 'not input');
    writeFileSync(join(dir, 'b', 'old.json.bak'), JSON.stringify(rec(9)));
    const items = await collect([dir]);
    expect(items.map(value)).toEqual([rec(1), rec(3)]);
  });

  it('reads a directory in the order of its paths, not the order its files were written or listed in', async () => {
    const dir = tmp();
    // `a/…` sorts after `a-…` as a path (`-` before `/`), but its folder is listed before it.
    mkdirSync(join(dir, 'a'));
    const names = ['k', 'c', 'x', 'a/z', 'q', 'f', 'z', 'a-b', 'm', 'd', 'w', 'h'];
    names.forEach((name, n) => writeFileSync(join(dir, `${name}.jsonl`), `${JSON.stringify(rec(n))}\n`));
    const items = await collect([dir]);
    expect(items.map((item) => (item.kind === 'body' ? item.origin.file : item))).toEqual(
      names.map((name) => join(dir, `${name}.jsonl`)).sort(),
    );
  });

  it('joins the lines of a pretty-printed document with their line ends: a number cut by one is no number', async () => {
    const text = '{\n  "replicas": 1\ne5\n}';
    expect(await collect(['-'], Readable.from([Buffer.from(text)]))).toEqual([
      {
        kind: 'problem',
        where: '(stdin), line 1',
        message: expect.stringMatching(/one document of 4 line\(s\), read as a whole/) as string,
      },
    ]);
  });

  it('reads a file named .csv as a Log Analytics CSV export, one row a body, and no other', async () => {
    const dir = tmp();
    const csv = join(dir, 'query.csv');
    writeFileSync(csv, 'TimeGenerated [UTC],Category\n2025-03-04T09:15:27Z,kube-audit\n');
    expect(await collect([csv])).toEqual([
      {
        kind: 'body',
        body: { TimeGenerated: '2025-03-04T09:15:27Z', Category: 'kube-audit' },
        origin: { file: csv, line: 2 },
      },
    ]);
    const json = join(dir, 'query.csv.json');
    writeFileSync(json, JSON.stringify(rec(1)));
    expect((await collect([json])).map(value)).toEqual([rec(1)]);
  });

  it('reads a Kubernetes EventList one event at a time, however its opening is spaced', async () => {
    const dir = tmp();
    const events = [
      { auditID: 'a1', verb: 'create' },
      { auditID: 'a2', verb: 'delete' },
    ];
    const file = join(dir, 'audit.json');
    writeFileSync(
      file,
      `\n  {"apiVersion":"audit.k8s.io/v1","kind"  :  "EventList","items":${JSON.stringify(events)}}`,
    );
    expect(await collect([file])).toEqual(
      events.map((body, event) => ({ kind: 'body', body, origin: { file, event } })),
    );
    // A list that holds an EventList is no EventList: it is read as one document.
    const list = [{ kind: 'EventList', items: events }];
    const listFile = join(dir, 'list.json');
    writeFileSync(listFile, JSON.stringify(list));
    expect((await collect([listFile])).map(value)).toEqual([list]);
  });

  it.skipIf(!existsSync('/dev/null'))('names a path that is neither a file nor a directory', async () => {
    expect(await collect(['/dev/null'])).toEqual([
      { kind: 'problem', where: '/dev/null', message: 'not a file or directory' },
    ]);
  });

  it('reads stdin for "-"', async () => {
    const items = await collect(
      ['-'],
      Readable.from([`${JSON.stringify(rec(1))}\n`, `${JSON.stringify(rec(2))}\n`]),
    );
    expect(items.map(value)).toEqual([rec(1), rec(2)]);
  });

  it('reads the same bodies, problems and line numbers whatever the chunks the bytes arrive in', async () => {
    const jsonLines = `\uFEFF${JSON.stringify(rec(1))}\r\nnot json\r\n\r\n${JSON.stringify({ note: 'café ☕' })}\n \u00a0\n${JSON.stringify(rec(6))}`;
    const pretty = `\uFEFF${JSON.stringify({ records: [rec(1), { note: 'café ☕' }] }, null, 2)}\r\n`;
    for (const text of [jsonLines, pretty]) {
      const bytes = Buffer.from(text, 'utf8');
      const whole = await collect(['-'], Readable.from([bytes]));
      // One byte at a time: the BOM, CRLF and multi-byte characters are all cut.
      const byteWise = await collect(['-'], Readable.from([...bytes].map((b) => Buffer.from([b]))));
      expect(byteWise).toEqual(whole);
    }
    const items = await collect(['-'], Readable.from([Buffer.from(jsonLines, 'utf8')]));
    expect(items.map((i) => (i.kind === 'body' ? i.origin.line : i.where))).toEqual([1, 2, 4, 6]);
    expect([items[0], items[2], items[3]].map(value)).toEqual([rec(1), { note: 'café ☕' }, rec(6)]);
    expect(items[1]).toMatchObject({ body: Buffer.from('not json'), anyShape: true });
    const document = await collect(['-'], Readable.from([Buffer.from(pretty, 'utf8')]));
    expect(document.map(value)).toEqual([{ records: [rec(1), { note: 'café ☕' }] }]);
  });

  it('reads files larger than its read buffer: lines across reads, a document of many reads', async () => {
    const dir = tmp();
    // Lines of 100,003 bytes never end where a read of a power of two does.
    const lines = Array.from({ length: 90 }, (_, n) =>
      JSON.stringify({ n, pad: 'x'.repeat(99_980 - String(n).length) }),
    );
    writeFileSync(join(dir, 'big.jsonl'), `${lines.join('\n')}\n`);
    const seen: unknown[] = [];
    // Each body is read before the next is asked for: the reader may fill its buffer again then.
    for await (const item of readInputs([join(dir, 'big.jsonl')], { reuseBuffer: true }))
      seen.push(value(item));
    const parsed = lines.map((line) => JSON.parse(line) as unknown);
    expect(seen).toEqual(parsed);
    // Without reuse, bodies kept past the next read stay as they were read.
    expect((await collect([join(dir, 'big.jsonl')])).map(value)).toEqual(parsed);
    const document = { records: parsed };
    writeFileSync(join(dir, 'big.json'), JSON.stringify(document, null, 2));
    const whole: unknown[] = [];
    for await (const item of readInputs([join(dir, 'big.json')], { reuseBuffer: true }))
      whole.push(value(item));
    expect(whole).toEqual([document]);
  });

  it('hands out the bodies of each read together, intact until the next batch is asked for', async () => {
    const dir = tmp();
    // 4 MiB reads: 100 lines of 100 kB come in three batches, none of them empty.
    const lines = Array.from({ length: 100 }, (_, n) =>
      JSON.stringify({ n, pad: 'x'.repeat(99_980 - String(n).length) }),
    );
    writeFileSync(join(dir, 'big.jsonl'), `${lines.join('\n')}\n`);
    writeFileSync(join(dir, 'small.json'), JSON.stringify(rec(1)));
    const batches: unknown[][] = [];
    const paths = [join(dir, 'big.jsonl'), join(dir, 'missing.json'), join(dir, 'small.json')];
    for await (const batch of readInputBatches(paths, { reuseBuffer: true }))
      batches.push(batch.map((item) => (item.kind === 'problem' ? item.where : value(item))));
    expect(batches.map((batch) => batch.length)).toEqual([41, 42, 17, 1, 1]);
    expect(batches.flat()).toEqual([
      ...lines.map((line) => JSON.parse(line) as unknown),
      join(dir, 'missing.json'),
      rec(1),
    ]);
    const one: unknown[] = [];
    for await (const batch of oneByOne(readInputs([join(dir, 'small.json'), join(dir, 'small.json')])))
      one.push(batch.map(value));
    expect(one).toEqual([[rec(1)], [rec(1)]]);
  });

  it('reports a multi-line document over 256 MiB once, and stops reading there', async () => {
    // One 1 MiB line sent again and again (the reader keeps a copy of each).
    const line = Buffer.alloc(1024 * 1024, 'x');
    line.write('  "', 0);
    line.write('",\n', line.length - 3);
    let sent = 0;
    // Three lines a chunk: lines past the bound in the chunk that crosses it are not read either.
    const chunk = Buffer.concat([line, line, line]);
    const stdin = Readable.from(
      (function* () {
        yield Buffer.from('{\n');
        for (let i = 0; i < 134; i++) {
          sent += 3;
          yield chunk;
        }
      })(),
    );
    const items = await collect(['-'], stdin);
    expect(items).toEqual([
      {
        kind: 'problem',
        where: '(stdin), line 1',
        message: 'multi-line JSON document larger than 256 MiB; export it as JSON Lines',
      },
    ]);
    // Stopped at the bound (plus what the stream had read ahead), not at the end.
    expect(sent).toBeGreaterThanOrEqual(256);
    expect(sent).toBeLessThan(300);
  });

  // Linux lists a process's open files in /proc; a scan of many files must not run out of them.
  it.skipIf(!existsSync('/proc/self/fd'))(
    'closes each file it reads, also when its consumer stops early',
    async () => {
      const dir = tmp();
      const file = join(dir, 'PT1H.json');
      writeFileSync(file, `${JSON.stringify(rec(1))}\n${JSON.stringify(rec(2))}\n`);
      const openFiles = () => readdirSync('/proc/self/fd').length;
      const before = openFiles();
      for (let i = 0; i < 10; i++) {
        expect((await collect([file])).map(value)).toEqual([rec(1), rec(2)]);
        for await (const item of readInputs([file])) {
          expect(value(item)).toEqual(rec(1));
          break;
        }
      }
      expect(openFiles()).toBe(before);
    },
  );

  it('reports a missing path and continues with the next', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'ok.json'), JSON.stringify(rec(1)));
    const items = await collect([join(dir, 'missing.json'), join(dir, 'ok.json')]);
    expect(items[0]).toMatchObject({ kind: 'problem', where: join(dir, 'missing.json') });
    expect(items[0]).toHaveProperty('message', expect.stringMatching(/^cannot read: .*ENOENT/));
    expect(value(items[1])).toEqual(rec(1));
  });

  it('reports a file of a directory that is gone when its turn comes, and reads the rest', async () => {
    const dir = tmp();
    for (const name of ['a.json', 'b.json', 'c.json']) writeFileSync(join(dir, name), JSON.stringify(rec(1)));
    const batches: unknown[][] = [];
    for await (const batch of readInputBatches([dir])) {
      // Rotated away after the directory was listed.
      if (batches.length === 0) unlinkSync(join(dir, 'b.json'));
      batches.push(batch.map(value));
    }
    expect(batches).toEqual([
      [rec(1)],
      [
        {
          kind: 'problem',
          where: join(dir, 'b.json'),
          message: expect.stringMatching(/^cannot read: .*ENOENT/) as unknown,
        },
      ],
      [rec(1)],
    ]);
  });
});
