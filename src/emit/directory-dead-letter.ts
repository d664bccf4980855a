import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, mkdir, open, readdir, rename, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClaimResult, DeadLetterEntry, DeadLetterStore } from './finding-sink.js';

const CLAIM = /\.claim-[0-9a-f-]{36}$/;
/** A claim older than this belongs to a resend that died; another resend may take the entry over. */
const STALE_CLAIM_MS = 15 * 60_000;

/**
 * Dead-letter files in a local directory, for uploads run from the command line. Names carry a
 * UUID, so processes writing in the same millisecond never overwrite each other; a resend claims
 * a file by renaming it (atomic within a directory) before it reads it.
 */
export class DirectoryDeadLetterStore implements DeadLetterStore {
  constructor(
    readonly directory: string,
    private readonly now: () => number = Date.now,
  ) {}

  async write(entry: DeadLetterEntry): Promise<string> {
    await mkdir(this.directory, { recursive: true });
    const name = `${entry.createdAt.replace(/:/g, '-')}-${randomUUID()}.json`;
    // Written aside, then renamed: a process killed mid-write leaves no half entry to resend.
    const partial = join(this.directory, `.${name}.partial`);
    await writeFile(partial, JSON.stringify({ version: 1, ...entry }), { flag: 'wx' });
    await rename(partial, join(this.directory, name));
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
    for (const name of names.sort()) {
      if (name.endsWith('.json')) yield name;
      else if (CLAIM.test(name) && (await this.isStale(name))) yield name;
    }
  }

  async claim(name: string): Promise<ClaimResult> {
    const path = join(this.directory, name);
    try {
      const info = await lstat(path);
      if (!info.isFile())
        return { skipped: info.isSymbolicLink() ? 'a symbolic link, not read' : 'not a regular file' };
      const claimed = `${name.replace(CLAIM, '')}.claim-${randomUUID()}`;
      const claimedPath = join(this.directory, claimed);
      await rename(path, claimedPath);
      const now = new Date(this.now());
      await utimes(claimedPath, now, now);
      const release = (): Promise<void> => rename(claimedPath, join(this.directory, name.replace(CLAIM, '')));
      let entry: DeadLetterEntry;
      try {
        entry = await readEntry(claimedPath, name);
      } catch (error) {
        await release();
        throw error;
      }
      return { claimed: { entry, release, remove: () => rm(claimedPath) } };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { taken: true };
      throw error;
    }
  }

  private async isStale(name: string): Promise<boolean> {
    try {
      return this.now() - (await lstat(join(this.directory, name))).mtimeMs > STALE_CLAIM_MS;
    } catch {
      return false;
    }
  }
}

/** Opens without following a link swapped in after the `lstat`, and reads only a regular file. */
async function readEntry(path: string, name: string): Promise<DeadLetterEntry> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    if (!(await handle.stat()).isFile()) throw new Error(`dead-letter file ${name} is not a regular file`);
    const parsed = JSON.parse(await handle.readFile('utf8')) as DeadLetterEntry;
    if (!Array.isArray(parsed.rows)) throw new Error(`dead-letter file ${name} has no rows array`);
    return parsed;
  } finally {
    await handle.close();
  }
}
