import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DeadLetterEntry, DeadLetterStore } from './finding-sink.js';

/** Dead-letter files in a local directory, for uploads run from the command line. */
export class DirectoryDeadLetterStore implements DeadLetterStore {
  private sequence = 0;

  constructor(private readonly directory: string) {}

  async write(entry: DeadLetterEntry): Promise<string> {
    await mkdir(this.directory, { recursive: true });
    const name = `${entry.createdAt.replace(/:/g, '-')}-${process.pid}-${this.sequence++}.json`;
    await writeFile(join(this.directory, name), JSON.stringify({ version: 1, ...entry }), { flag: 'wx' });
    return name;
  }

  async *list(): AsyncIterable<string> {
    let names: string[];
    try {
      names = await readdir(this.directory);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const name of names.filter((n) => n.endsWith('.json')).sort()) yield name;
  }

  async read(name: string): Promise<DeadLetterEntry> {
    const parsed = JSON.parse(await readFile(join(this.directory, name), 'utf8')) as DeadLetterEntry;
    if (!Array.isArray(parsed.rows)) throw new Error(`dead-letter file ${name} has no rows array`);
    return parsed;
  }

  async remove(name: string): Promise<void> {
    await rm(join(this.directory, name));
  }
}
