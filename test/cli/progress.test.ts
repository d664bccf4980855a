import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { writeCapture } from '../helpers/capture.js';

/** A Capture file just over 20 MiB of bodies that match no rule: the bar counts body bytes, the total is the file's size. */
async function largeCapture(): Promise<string> {
  const file = join(mkdtempSync(join(tmpdir(), 'kjd-progress-')), 'capture.avro');
  const body = Buffer.from(JSON.stringify({ records: [{ category: 'Other', note: 'x'.repeat(1_048_000) }] }));
  await writeCapture(
    file,
    Array.from({ length: 20 }, () => body),
  );
  return file;
}

async function scanWithStderr(file: string, isTTY: boolean): Promise<string> {
  const stdout = new PassThrough();
  stdout.resume();
  const stderr = Object.assign(new PassThrough(), { isTTY, columns: 100 });
  const chunks: Buffer[] = [];
  stderr.on('data', (c: Buffer) => chunks.push(c));
  await runCli(['scan', '--quiet', file], { stdout, stderr });
  return Buffer.concat(chunks).toString();
}

describe('the progress bar', () => {
  it('ends at 100% on a terminal', async () => {
    const text = await scanWithStderr(await largeCapture(), true);
    expect(text).toMatch(/scanning \[/);
    expect(text).toMatch(/100% \| (\d+)\/\1 MB/);
  }, 60_000);

  it('is not drawn when stderr is not a terminal', async () => {
    expect(await scanWithStderr(await largeCapture(), false)).not.toMatch(/scanning/);
  }, 60_000);
});
