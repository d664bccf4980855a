import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import avro from 'avsc';
import { parseJson } from '../decode/decode-body.js';
import type { InputBody } from '../pipeline/detector.js';
import { errorText } from '../util/error-text.js';
import { opensEventList, readCsv, readEventList } from './read-shaped-files.js';

export type InputItem =
  | ({ readonly kind: 'body' } & InputBody)
  | { readonly kind: 'problem'; readonly where: string; readonly message: string };

export interface ReadOptions {
  /** Called with the bytes of each file or stdin chunk consumed, for progress reporting. */
  readonly onBytes?: (bytes: number) => void;
  readonly stdin?: Readable;
}

/**
 * Extensions picked up when walking a directory (`.log` for the apiserver's `audit.log`, `.csv`
 * for query exports); a file named explicitly is read whatever its name.
 */
const INPUT_EXTENSIONS = /\.(json|jsonl|ndjson|avro|csv|log)$/i;
/** Enough of a file to tell its kind. */
const HEAD_BYTES = 4096;
const AVRO_MAGIC = Buffer.from([0x4f, 0x62, 0x6a, 0x01]);
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
  for (const path of paths) {
    if (path === '-') {
      yield* readText(options.stdin ?? process.stdin, '(stdin)', options);
      continue;
    }
    const files = await listFiles(path);
    if (!files.ok) {
      yield { kind: 'problem', where: path, message: files.message };
      continue;
    }
    for (const file of files.paths) {
      try {
        const head = await readHead(file);
        if (head.subarray(0, 4).equals(AVRO_MAGIC)) yield* readAvro(file, options);
        else if (/\.csv$/i.test(file)) yield* readCsv(file, options);
        else if (opensEventList(head.toString('utf8'))) yield* readEventList(file, options);
        else yield* readText(createReadStream(file), file, options);
      } catch (error) {
        yield { kind: 'problem', where: file, message: `cannot read: ${errorText(error)}` };
      }
    }
  }
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
    yield {
      kind: 'problem',
      where: `${file}, event ${index}`,
      message: `Avro decoding stopped: ${errorText(error)}`,
    };
  }
}

async function* readText(stream: Readable, file: string, options: ReadOptions): AsyncGenerator<InputItem> {
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let lineNumber = 0;
  let whole: { firstLine: number; lines: string[]; bytes: number } | undefined;
  let seenContent = false;
  for await (const rawLine of lines) {
    lineNumber++;
    const line = lineNumber === 1 && rawLine.charCodeAt(0) === 0xfeff ? rawLine.slice(1) : rawLine;
    options.onBytes?.(Buffer.byteLength(rawLine) + 1);
    if (whole !== undefined) {
      whole.lines.push(line);
      whole.bytes += line.length + 1;
      if (whole.bytes > MAX_WHOLE_DOCUMENT_BYTES) {
        yield {
          kind: 'problem',
          where: `${file}, line ${whole.firstLine}`,
          message: 'multi-line JSON document larger than 256 MiB; export it as JSON Lines',
        };
        lines.close();
        return;
      }
      continue;
    }
    if (line.trim() === '') continue;
    if (seenContent) {
      // JSON Lines: the line goes on as text, so the detector's prefilter can skip it unparsed
      // (and reports it, with its line, if it is not JSON after all).
      yield { kind: 'body', body: line, origin: { file, line: lineNumber } };
      continue;
    }
    seenContent = true;
    const parsed = parseJson(line);
    if (parsed.ok) {
      yield { kind: 'body', body: line, origin: { file, line: lineNumber } };
    } else if (/^\s*[[{]/.test(line)) {
      // The first line is not JSON on its own: this is a pretty-printed document, not JSON Lines.
      whole = { firstLine: lineNumber, lines: [line], bytes: line.length };
    } else {
      yield { kind: 'problem', where: `${file}, line ${lineNumber}`, message: parsed.message };
    }
  }
  if (whole !== undefined) yield* settleWholeDocument(whole, file);
}

function* settleWholeDocument(
  whole: { firstLine: number; lines: string[] },
  file: string,
): Generator<InputItem> {
  const parsed = parseJson(whole.lines.join('\n'));
  if (parsed.ok) {
    yield { kind: 'body', body: parsed.value, origin: { file, line: whole.firstLine } };
    return;
  }
  // Neither one document nor clean JSON Lines: salvage every line that parses on its own.
  for (const [i, line] of whole.lines.entries()) {
    if (line.trim() === '') continue;
    const lineParsed = parseJson(line);
    const lineNumber = whole.firstLine + i;
    if (lineParsed.ok) yield { kind: 'body', body: lineParsed.value, origin: { file, line: lineNumber } };
    else yield { kind: 'problem', where: `${file}, line ${lineNumber}`, message: lineParsed.message };
  }
}
