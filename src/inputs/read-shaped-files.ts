import { createReadStream } from 'node:fs';
import JSONParser from '@streamparser/json/jsonparser.js';
import { parse } from 'csv-parse';
import type { InputItem, ReadOptions } from './read-inputs.js';

/**
 * A CSV export of a Log Analytics query (portal "Export to CSV", or any tool's), header row first.
 * The portal suffixes datetime columns with ` [UTC]`; the column is the same. `dynamic` cells are
 * JSON text, which the shape converters parse. Each row goes on as one record.
 */
export async function* readCsv(file: string, options: ReadOptions): AsyncGenerator<InputItem> {
  const input = createReadStream(file);
  input.on('data', (chunk) => options.onBytes?.(chunk.length));
  const parser = input.pipe(
    parse({
      columns: (header: string[]) => header.map((name) => name.trim().replace(/ \[UTC\]$/, '')),
      bom: true,
      skip_empty_lines: true,
      info: true,
    }),
  );
  let lastLine = 1;
  try {
    for await (const row of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      lastLine = row.info.lines;
      yield { kind: 'body', body: row.record, origin: { file, line: row.info.lines } };
    }
  } catch (error) {
    input.destroy();
    const line = (error as { lines?: unknown }).lines;
    yield {
      kind: 'problem',
      where: `${file}, line ${typeof line === 'number' ? line : lastLine + 1}`,
      message: `CSV reading stopped: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

/**
 * An `EventList` file (the webhook audit backend's batches, or `kubectl`-style exports), streamed:
 * each item of `items` goes on as one record as soon as it is parsed, and is then dropped, so
 * memory stays bounded by the largest Event rather than the file.
 */
export async function* readEventList(file: string, options: ReadOptions): AsyncGenerator<InputItem> {
  const parser = new JSONParser({ paths: ['$.items.*'], keepStack: false });
  const ready: unknown[] = [];
  let failure: Error | undefined;
  parser.onValue = ({ value }) => ready.push(value);
  parser.onError = (error) => (failure ??= error);
  let index = 0;
  const input = createReadStream(file);
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      options.onBytes?.(chunk.length);
      parser.write(chunk);
      for (const value of ready.splice(0))
        yield { kind: 'body', body: value, origin: { file, event: index++ } };
      if (failure !== undefined) break;
    }
    if (failure === undefined && !parser.isEnded) parser.end();
  } catch (error) {
    failure ??= error instanceof Error ? error : new Error(String(error));
  } finally {
    input.destroy();
  }
  for (const value of ready.splice(0)) yield { kind: 'body', body: value, origin: { file, event: index++ } };
  if (failure !== undefined)
    yield {
      kind: 'problem',
      where: `${file}, event ${index}`,
      message: `EventList reading stopped: ${failure.message}`,
    };
}
