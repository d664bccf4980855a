import { existsSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DirectoryDeadLetterStore } from '../../src/emit/directory-dead-letter.js';
import type { DeadLetterEntry, FindingSink } from '../../src/emit/finding-sink.js';
import { resendDeadLetters } from '../../src/emit/resend-dead-letters.js';
import type { FindingRow } from '../../src/findings/finding-row.js';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'kjd-dead-'));
const CREATED = '2026-11-28T04:00:00.000Z';

function entry(ids: readonly string[]): DeadLetterEntry {
  return {
    createdAt: CREATED,
    error: 'HTTP 500',
    context: { source: 'test' },
    rows: ids.map((id) => ({ FindingId: id }) as unknown as FindingRow),
  };
}

/** A sink that keeps what it was sent, answering after a tick so concurrent resends interleave. */
function recordingSink(): FindingSink & { ids: string[] } {
  const ids: string[] = [];
  return {
    ids,
    async upload(rows) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      ids.push(...rows.map((r) => r.FindingId));
      return { uploaded: rows.length, failures: [] };
    },
  };
}

describe('DirectoryDeadLetterStore', () => {
  it('gives two processes writing in the same millisecond different names', async () => {
    const dir = tmp();
    const names = await Promise.all(
      Array.from({ length: 8 }, (_, i) => new DirectoryDeadLetterStore(dir).write(entry([`f${i}`]))),
    );
    expect(new Set(names).size).toBe(8);
    expect(readdirSync(dir)).toHaveLength(8);
  });

  it('lets concurrent resends send each entry once, without errors', async () => {
    const dir = tmp();
    const store = new DirectoryDeadLetterStore(dir);
    for (let i = 0; i < 20; i++) await store.write(entry([`f${i}a`, `f${i}b`]));
    const sink = recordingSink();
    const outcomes = await Promise.all([
      resendDeadLetters(new DirectoryDeadLetterStore(dir), sink),
      resendDeadLetters(new DirectoryDeadLetterStore(dir), sink),
      resendDeadLetters(new DirectoryDeadLetterStore(dir), sink),
    ]);
    expect(outcomes.flatMap((o) => o.kept)).toEqual([]);
    expect(outcomes.reduce((n, o) => n + o.resent, 0)).toBe(20);
    expect(sink.ids).toHaveLength(40);
    expect(new Set(sink.ids).size).toBe(40);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('gives an entry back when its upload fails, for the next resend', async () => {
    const dir = tmp();
    const store = new DirectoryDeadLetterStore(dir);
    const name = await store.write(entry(['f1']));
    const failing: FindingSink = {
      upload: async (rows) => ({ uploaded: 0, failures: [{ rows, error: 'HTTP 503' }] }),
    };
    expect((await resendDeadLetters(store, failing)).kept).toEqual([{ name, error: 'HTTP 503' }]);
    expect(readdirSync(dir)).toEqual([name]);
  });

  it('takes over a claim left by a resend that died, once it is stale', async () => {
    const dir = tmp();
    let now = Date.parse(CREATED);
    const store = new DirectoryDeadLetterStore(dir, () => now);
    await store.write(entry(['f1']));
    const [name] = readdirSync(dir);
    const claim = await store.claim(name as string);
    expect('claimed' in claim).toBe(true);
    // The process that claimed it is killed here: the claim stays.
    const sink = recordingSink();
    expect((await resendDeadLetters(store, sink)).resent).toBe(0);
    now += 16 * 60_000;
    expect((await resendDeadLetters(store, sink)).resent).toBe(1);
    expect(sink.ids).toEqual(['f1']);
  });

  it('reads only regular files inside the directory: symlinks are reported and left alone', async () => {
    const dir = tmp();
    const outside = join(tmp(), 'secret.json');
    writeFileSync(outside, JSON.stringify({ version: 1, ...entry(['outside']) }));
    symlinkSync(outside, join(dir, 'link.json'));
    const store = new DirectoryDeadLetterStore(dir);
    await store.write(entry(['inside']));
    const sink = recordingSink();
    const outcome = await resendDeadLetters(store, sink);
    expect(sink.ids).toEqual(['inside']);
    expect(outcome.skipped).toEqual([{ name: 'link.json', reason: 'a symbolic link, not read' }]);
    expect(existsSync(outside)).toBe(true);
    expect(readdirSync(dir)).toEqual(['link.json']);
  });
});
