import { createHash } from 'node:crypto';
import { appendFile, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/**
 * What an interrupted `scan --upload` already delivered, so that running the same scan again
 * uploads only the rest. The scan delivers its findings in groups that are the same on every run
 * of the same inputs and rules; after a group is uploaded or dead-lettered its number is appended
 * here. A run killed between a delivery and its line sends that group again on the rerun: at
 * least once, and FindingId makes the duplicate harmless. The file is deleted when a run ends.
 */
export class UploadJournal {
  private constructor(
    private readonly file: string,
    private readonly done: ReadonlySet<number>,
  ) {}

  /** Opens the journal of the scan `key` in `directory`, reading what an earlier run recorded. */
  static async open(directory: string, key: string): Promise<UploadJournal> {
    await mkdir(directory, { recursive: true });
    const file = join(directory, `.scan-journal-${key}.jsonl`);
    const done = new Set<number>();
    const text = await readFile(file, 'utf8').catch(() => '');
    for (const line of text.split('\n')) {
      // The last line of a killed run may be cut: it counts as not written.
      const match = /^\{"group":(\d+)\}$/.exec(line);
      if (match !== null) done.add(Number(match[1]));
    }
    return new UploadJournal(file, done);
  }

  /** Groups an earlier, interrupted run delivered. */
  get resumed(): number {
    return this.done.size;
  }

  isDone(group: number): boolean {
    return this.done.has(group);
  }

  async markDone(group: number): Promise<void> {
    await appendFile(this.file, `{"group":${group}}\n`);
  }

  async finish(): Promise<void> {
    await rm(this.file, { force: true });
  }
}

/**
 * Names one scan: the same input and rule files (paths, sizes, modification times) and version
 * give the same key, so only a rerun of that scan resumes. Undefined for stdin, which cannot be
 * read again.
 */
export async function scanKey(
  paths: readonly string[],
  rules: readonly string[],
  version: string,
): Promise<string | undefined> {
  if (paths.includes('-')) return undefined;
  return createHash('sha256')
    .update(JSON.stringify({ version, inputs: await fingerprint(paths), rules: await fingerprint(rules) }))
    .digest('hex')
    .slice(0, 24);
}

async function fingerprint(paths: readonly string[]): Promise<[string, number, number][]> {
  const inputs: [string, number, number][] = [];
  for (const path of paths) {
    const top = resolve(path);
    const info = await stat(top).catch(() => undefined);
    if (info === undefined) continue;
    const files = info.isDirectory()
      ? (await readdir(top, { recursive: true })).map((f) => join(top, f)).sort()
      : [top];
    for (const file of files) {
      const s = await stat(file).catch(() => undefined);
      if (s?.isFile() === true) inputs.push([file, s.size, s.mtimeMs]);
    }
  }
  return inputs;
}
