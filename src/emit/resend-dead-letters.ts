import type { DeadLetterStore, FindingSink } from './finding-sink.js';
import { errorText } from '../util/error-text.js';

export interface ResendOutcome {
  readonly resent: number;
  readonly rows: number;
  readonly kept: readonly { readonly name: string; readonly error: string }[];
}

/**
 * Re-uploads every dead-lettered batch; an entry is removed only after all of its rows were
 * accepted, so a failed attempt leaves it for the next one. Rows are idempotent by FindingId.
 */
export async function resendDeadLetters(store: DeadLetterStore, sink: FindingSink): Promise<ResendOutcome> {
  let resent = 0;
  let rows = 0;
  const kept: { name: string; error: string }[] = [];
  const names: string[] = [];
  for await (const name of store.list()) names.push(name);
  for (const name of names) {
    try {
      const entry = await store.read(name);
      const result = await sink.upload(entry.rows);
      if (result.failures.length > 0) {
        kept.push({ name, error: result.failures.map((f) => f.error).join('; ') });
        continue;
      }
      await store.remove(name);
      resent++;
      rows += entry.rows.length;
    } catch (error) {
      kept.push({ name, error: errorText(error) });
    }
  }
  return { resent, rows, kept };
}
