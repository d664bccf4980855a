import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli/program.js';

/** Streams to hand a command as stdout and stderr, and what was written to them. */
export function captureIo(): {
  stdout: PassThrough;
  stderr: PassThrough;
  written(): { stdout: string; stderr: string };
} {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  return {
    stdout,
    stderr,
    written: () => ({ stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }),
  };
}

export async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = captureIo();
  const code = await runCli(argv, io);
  return { code, ...io.written() };
}
