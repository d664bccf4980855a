import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { parseJson } from '../decode/decode-body.js';
import type { InputBody } from '../pipeline/detector.js';
import { errorText } from '../util/error-text.js';
import { utf8Text } from '../util/utf8-text.js';
import { checkAvroContainer } from './avro-container.js';
import { LineSplitter } from './line-splitter.js';

export type InputItem =
  | ({ readonly kind: 'body' } & InputBody)
  | { readonly kind: 'problem'; readonly where: string; readonly message: string };

export interface ReadOptions {
  /** Called with the bytes of each file or stdin chunk consumed, for progress reporting. */
  readonly onBytes?: (bytes: number) => void;
  readonly stdin?: Readable;
  /**
   * Read each text file into one buffer, again and again: a body's bytes are then valid only until
   * the next read, that is until the next batch is asked for (`readInputBatches`), or the item
   * after its batch's last (`readInputs`). For a consumer that is done with each body before the
   * next (the detector); one that keeps bodies must leave it off.
   */
  readonly reuseBuffer?: boolean;
}

/**
 * Extensions picked up when walking a directory (`.log` for the apiserver's `audit.log`, `.csv`
 * for query exports); a file named explicitly is read whatever its name.
 */
const INPUT_EXTENSIONS = /\.(json|jsonl|ndjson|avro|csv|log)$/i;
/** Enough of a file to tell its kind. */
const HEAD_BYTES = 4096;
const AVRO_MAGIC = Buffer.from([0x4f, 0x62, 0x6a, 0x01]);
/** Read size for text files: at the default 64 KiB, issuing the reads cost a sixth of a whole-file scan. */
const READ_CHUNK_BYTES = 4 * 1024 * 1024;
/** A pretty-printed (multi-line) JSON document is parsed whole; beyond this it must be JSON Lines. */
const MAX_WHOLE_DOCUMENT_BYTES = 256 * 1024 * 1024;

/**
 * Streams Event Hub bodies out of files, directories (recursively), or `-` for stdin. JSON Lines
 * (the blob export) yield one body per line; a multi-line JSON document yields one body; an
 * Event Hubs Capture Avro file yields one body per captured event.
 */
export async function* readInputs(
  paths: readonly string[],
  options: ReadOptions = {},
): AsyncGenerator<InputItem> {
  for await (const batch of readInputBatches(paths, options)) yield* batch;
}

/**
 * `readInputs` a batch at a time: the bodies of one read of a text file together, so a consumer
 * goes through them without an await (and an async generator's resumption) per body. With
 * `reuseBuffer`, a batch's bodies are valid until the next batch is asked for.
 */
export async function* readInputBatches(
  paths: readonly string[],
  options: ReadOptions = {},
): AsyncGenerator<readonly InputItem[]> {
  for (const path of paths) {
    if (path === '-') {
      yield* readText(options.stdin ?? process.stdin, '(stdin)', options);
      continue;
    }
    const files = await listFiles(path);
    if (!files.ok) {
      yield [{ kind: 'problem', where: path, message: files.message }];
      continue;
    }
    for (const file of files.paths) {
      try {
        const head = await readHead(file);
        if (head.subarray(0, 4).equals(AVRO_MAGIC)) yield* oneByOne(readAvro(file, options));
        // The CSV and streaming JSON parsers are imported only for such a file: most scans read none.
        else if (/\.csv$/i.test(file))
          yield* oneByOne((await import('./read-shaped-files.js')).readCsv(file, options));
        else if (opensEventList(head.toString('utf8')))
          yield* oneByOne((await import('./read-shaped-files.js')).readEventList(file, options));
        else yield* readText(fileChunks(file, options.reuseBuffer === true), file, options);
      } catch (error) {
        yield [{ kind: 'problem', where: file, message: `cannot read: ${errorText(error)}` }];
      }
    }
  }
}

/** Items as batches of one, for readers that produce them one at a time. */
export async function* oneByOne(items: AsyncIterable<InputItem>): AsyncGenerator<readonly InputItem[]> {
  for await (const item of items) yield [item];
}

/** Total bytes of the inputs, for a progress bar; stdin counts as unknown (0). */
export async function totalInputBytes(paths: readonly string[]): Promise<number> {
  let total = 0;
  for (const path of paths) {
    if (path === '-') continue;
    const files = await listFiles(path);
    if (!files.ok) continue;
    for (const file of files.paths) total += (await stat(file)).size;
  }
  return total;
}

async function listFiles(
  path: string,
): Promise<{ ok: true; paths: string[] } | { ok: false; message: string }> {
  try {
    const info = await stat(path);
    if (info.isFile()) return { ok: true, paths: [path] };
    if (!info.isDirectory()) return { ok: false, message: 'not a file or directory' };
    const out: string[] = [];
    await walk(path, out);
    return { ok: true, paths: out.sort() };
  } catch (error) {
    return { ok: false, message: `cannot read: ${errorText(error)}` };
  }
}

async function walk(dir: string, out: string[]): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const child = join(dir, entry.name);
    if (entry.isDirectory()) await walk(child, out);
    else if (entry.isFile() && INPUT_EXTENSIONS.test(entry.name)) out.push(child);
  }
}

/** Whether the first bytes of a file open a Kubernetes audit `EventList` document. */
function opensEventList(head: string): boolean {
  return /^\s*\{/.test(head) && /"kind"\s*:\s*"EventList"/.test(head);
}

async function readHead(file: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(head, 0, HEAD_BYTES, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function* readAvro(file: string, options: ReadOptions): AsyncGenerator<InputItem> {
  const handle = await open(file, 'r');
  const damage = await checkAvroContainer(handle).finally(() => handle.close());
  // avsc is imported only for a Capture file: loading it is a large share of a plain scan's start-up.
  const { default: avro } = await import('avsc');
  const decoder = avro.createFileDecoder(file);
  let index = 0;
  try {
    for await (const row of decoder as AsyncIterable<unknown>) {
      const body = typeof row === 'object' && row !== null ? (row as { Body?: unknown }).Body : undefined;
      if (body instanceof Uint8Array) {
        options.onBytes?.(body.byteLength);
        yield { kind: 'body', body, origin: { file, event: index } };
      } else {
        yield {
          kind: 'problem',
          where: `${file}, event ${index}`,
          message: 'Avro row has no bytes Body (not an Event Hubs Capture file?)',
        };
      }
      index++;
    }
  } catch (error) {
    // A damaged frame is reported once, below, with its byte offset.
    if (damage === undefined)
      yield {
        kind: 'problem',
        where: `${file}, event ${index}`,
        message: `Avro decoding stopped: ${errorText(error)}`,
      };
  }
  if (damage !== undefined)
    yield {
      kind: 'problem',
      where: `${file}, byte ${damage.offset}`,
      message: `Avro file damaged after ${index} event(s): ${damage.message}`,
    };
}

/** Lines after an unparsable first line that decide between JSON Lines and one pretty-printed document. */
const EVIDENCE_LINES = 8;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * A file's bytes, chunk after chunk; with `reuse`, each read into the same buffer (with a fresh
 * buffer a chunk, page faults and garbage collection made reading a file take nearly twice the CPU
 * time).
 */
async function* fileChunks(file: string, reuse: boolean): AsyncGenerator<Buffer> {
  const handle = await open(file, 'r');
  try {
    const shared = reuse ? Buffer.allocUnsafeSlow(READ_CHUNK_BYTES) : undefined;
    for (;;) {
      const buffer = shared ?? Buffer.allocUnsafeSlow(READ_CHUNK_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

async function* readText(
  stream: AsyncIterable<Buffer | string>,
  file: string,
  options: ReadOptions,
): AsyncGenerator<readonly InputItem[]> {
  const splitter = new LineSplitter();
  const reader = new TextReader(file);
  // Leaving the loop early (the bound, or a consumer that stops) destroys the stream or closes the file.
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    options.onBytes?.(bytes.length);
    const out: InputItem[] = [];
    for (const line of splitter.push(bytes)) reader.take(line, out);
    if (out.length > 0) yield out;
    if (reader.stopped) return;
  }
  const out: InputItem[] = [];
  const last = splitter.end();
  if (last !== undefined) reader.take(last, out);
  reader.finish(out);
  if (out.length > 0) yield out;
}

/**
 * JSON Lines (the blob export) go on line by line, as bytes; a first line that is the start of a
 * pretty-printed document keeps the lines until the next ones show which of the two the file is.
 */
class TextReader {
  private lineNumber = 0;
  private whole: { firstLine: number; lines: Buffer[]; bytes: number } | undefined;
  /** Non-empty lines after the first while the mode is undecided; set only then. */
  private evidence: number | undefined;
  private seenContent = false;
  /** Set once the file cannot be read further (a document over the bound). */
  stopped = false;

  constructor(private readonly file: string) {}

  take(rawLine: Buffer, out: InputItem[]): void {
    if (this.stopped) return;
    this.lineNumber++;
    const line =
      this.lineNumber === 1 && rawLine.subarray(0, 3).equals(UTF8_BOM) ? rawLine.subarray(3) : rawLine;
    const whole = this.whole;
    if (whole !== undefined) {
      // Kept past this chunk, whose memory the next read fills again.
      whole.lines.push(Buffer.from(line));
      whole.bytes += line.length + 1;
      if (this.evidence !== undefined && !isBlank(line) && ++this.evidence >= EVIDENCE_LINES) {
        this.evidence = undefined;
        if (looksLikeJsonLines(whole.lines)) {
          jsonLinesFrom(whole, this.file, out);
          this.whole = undefined;
          return;
        }
      }
      if (whole.bytes > MAX_WHOLE_DOCUMENT_BYTES) {
        out.push({
          kind: 'problem',
          where: `${this.file}, line ${whole.firstLine}`,
          message: 'multi-line JSON document larger than 256 MiB; export it as JSON Lines',
        });
        this.stopped = true;
      }
      return;
    }
    if (isBlank(line)) return;
    if (this.seenContent) {
      // JSON Lines: the line goes on as bytes, so the detector's prefilter can skip it undecoded
      // (and reports it, with its line, if it is not JSON after all).
      out.push(lineBody(line, this.file, this.lineNumber));
      return;
    }
    this.seenContent = true;
    const text = line.toString('utf8');
    const parsed = parseJson(text);
    if (parsed.ok) {
      out.push(lineBody(line, this.file, this.lineNumber));
    } else if (/^\s*[[{]/.test(text)) {
      // Either a pretty-printed document or JSON Lines whose first line is cut: the next lines decide.
      this.whole = { firstLine: this.lineNumber, lines: [Buffer.from(line)], bytes: line.length };
      this.evidence = 0;
    } else {
      out.push({ kind: 'problem', where: `${this.file}, line ${this.lineNumber}`, message: parsed.message });
    }
  }

  finish(out: InputItem[]): void {
    const whole = this.whole;
    if (whole === undefined || this.stopped) return;
    if (this.evidence !== undefined && looksLikeJsonLines(whole.lines)) jsonLinesFrom(whole, this.file, out);
    else settleWholeDocument(whole, this.file, out);
  }
}

/** A line of a file may hold records of any shape, so the detector checks that before its prefilter. */
function lineBody(line: Buffer, file: string, lineNumber: number): InputItem {
  return { kind: 'body', body: line, origin: { file, line: lineNumber }, anyShape: true };
}

/** Whether a line holds only white space, as `String.prototype.trim` sees it. */
function isBlank(line: Buffer): boolean {
  for (let i = 0; i < line.length; i++) {
    const byte = line[i] as number;
    if (byte === 0x20 || (byte >= 0x09 && byte <= 0x0d)) continue;
    // Beyond ASCII, white space such as U+00A0 or U+2028 needs decoding; most lines end the loop at `{`.
    return byte >= 0x80 && line.toString('utf8').trim() === '';
  }
  return true;
}

/** Two or more of the lines after the first are JSON objects on their own: a pretty-printed document has none such. */
function looksLikeJsonLines(lines: readonly Buffer[]): boolean {
  let objects = 0;
  for (const line of lines.slice(1)) {
    const parsed = isBlank(line) ? undefined : parseJson(line.toString('utf8'));
    if (parsed?.ok === true && typeof parsed.value === 'object' && parsed.value !== null) objects++;
  }
  return objects >= 2;
}

/** The buffered lines as JSON Lines: the cut first line is reported, the others go on as bodies. */
function jsonLinesFrom(
  whole: { firstLine: number; lines: readonly Buffer[] },
  file: string,
  out: InputItem[],
): void {
  for (const [i, line] of whole.lines.entries()) {
    const lineNumber = whole.firstLine + i;
    if (isBlank(line)) continue;
    if (i === 0) {
      const parsed = parseJson(line.toString('utf8'));
      if (!parsed.ok)
        out.push({ kind: 'problem', where: `${file}, line ${lineNumber}`, message: parsed.message });
      continue;
    }
    out.push(lineBody(line, file, lineNumber));
  }
}

function settleWholeDocument(
  whole: { firstLine: number; lines: readonly Buffer[] },
  file: string,
  out: InputItem[],
): void {
  const text = Buffer.concat(whole.lines.flatMap((line, i) => (i === 0 ? [line] : [NEWLINE, line])));
  const parsed = parseJson(utf8Text(text));
  if (parsed.ok) {
    out.push({ kind: 'body', body: parsed.value, origin: { file, line: whole.firstLine } });
    return;
  }
  // One document that does not parse (cut, most often) is one problem, not one per line.
  out.push({
    kind: 'problem',
    where: `${file}, line ${whole.firstLine}`,
    message: `${parsed.message} (one document of ${whole.lines.length} line(s), read as a whole)`,
  });
}

const NEWLINE = Buffer.from('\n');
