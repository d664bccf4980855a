import type { FindingRow } from '../findings/finding-row.js';

export interface UploadFailure {
  readonly rows: readonly FindingRow[];
  readonly error: string;
}

/** Where findings go. Service failures come back as values, per chunk; nothing is dropped silently. */
export interface FindingSink {
  upload(
    rows: readonly FindingRow[],
  ): Promise<{ readonly uploaded: number; readonly failures: readonly UploadFailure[] }>;
}

export interface DeadLetterEntry {
  readonly createdAt: string;
  readonly error: string;
  /** Where the rows came from: invocation id, function, partition. */
  readonly context: Readonly<Record<string, unknown>>;
  readonly rows: readonly FindingRow[];
}

/** An entry one resend holds: no other resend reads it until it is released or removed. */
export interface ClaimedDeadLetter {
  readonly entry: DeadLetterEntry;
  /** Deletes the entry: its rows were accepted. */
  remove(): Promise<void>;
  /** Gives the entry back for a later resend. */
  release(): Promise<void>;
}

export type ClaimResult =
  | { readonly claimed: ClaimedDeadLetter }
  /** Another resend holds it (or took it already): not an error. */
  | { readonly taken: true }
  /** Not a dead-letter entry this store will read (a symlink, a directory): reported, left alone. */
  | { readonly skipped: string };

/** Durable storage for rows the sink could not take. `write` throws when the store itself fails. */
export interface DeadLetterStore {
  write(entry: DeadLetterEntry): Promise<string>;
  list(): AsyncIterable<string>;
  /** Takes one entry for a resend, atomically, so concurrent resends never send it twice. */
  claim(name: string): Promise<ClaimResult>;
}
