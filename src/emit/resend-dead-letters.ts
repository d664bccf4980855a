import type { DeadLetterStore, FindingSink } from './finding-sink.js';
import { errorText } from '../util/error-text.js';

export interface ResendOutcome {
  readonly resent: number;
  readonly rows: number;
  readonly kept: readonly { readonly name: string; readonly error: string }[];
  /** Entries another resend held: it sends them. */
  readonly taken: number;
  /** Names that are no entry to read (symlinks, directories), left where they are. */
  readonly skipped: readonly { readonly name: string; readonly reason: string }[];
}

/**
 * Re-uploads every dead-lettered batch. Each entry is claimed first, so concurrent resends never
 * send one twice; it is removed only after all of its rows were accepted, and released for the
 * next attempt otherwise. Rows are idempotent by FindingId.
 */
export async function resendDeadLetters(store: DeadLetterStore, sink: FindingSink): Promise<ResendOutcome> {
  let resent = 0;
  let rows = 0;
  let taken = 0;
  const kept: { name: string; error: string }[] = [];
  const skipped: { name: string; reason: string }[] = [];
  const names: string[] = [];
  for await (const name of store.list()) names.push(name);
  for (const name of names) {
    try {
      const claim = await store.claim(name);
      if ('taken' in claim) {
        taken++;
        continue;
      }
      if ('skipped' in claim) {
        skipped.push({ name, reason: claim.skipped });
        continue;
      }
      const { entry } = claim.claimed;
      const result = await sink.upload(entry.rows).catch((error: unknown) => ({
        uploaded: 0,
        failures: [{ rows: entry.rows, error: errorText(error) }],
      }));
      if (result.failures.length > 0) {
        await claim.claimed.release();
        kept.push({ name, error: result.failures.map((f) => f.error).join('; ') });
        continue;
      }
      await claim.claimed.remove();
      resent++;
      rows += entry.rows.length;
    } catch (error) {
      kept.push({ name, error: errorText(error) });
    }
  }
  return { resent, rows, kept, taken, skipped };
}
