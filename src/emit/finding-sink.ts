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

/** Durable storage for rows the sink could not take. `write` throws when the store itself fails. */
export interface DeadLetterStore {
  write(entry: DeadLetterEntry): Promise<string>;
  list(): AsyncIterable<string>;
  read(name: string): Promise<DeadLetterEntry>;
  remove(name: string): Promise<void>;
}
