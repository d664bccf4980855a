import type { FindingRow } from '../findings/finding-row.js';
import type { DeadLetterStore, FindingSink } from './finding-sink.js';
import { errorText } from '../util/error-text.js';

export interface EmitOutcome {
  readonly uploaded: number;
  readonly deadLettered: number;
  readonly deadLetterBlobs: readonly string[];
  readonly errors: readonly string[];
}

/** Thrown only when rows could be neither uploaded nor dead-lettered: the host must retry the batch. */
export class DeadLetterFailedError extends Error {
  constructor(
    message: string,
    readonly lostRows: number,
  ) {
    super(message);
    this.name = 'DeadLetterFailedError';
  }
}

/**
 * Uploads findings; whatever the sink could not take after its own retries goes to the
 * dead-letter store, one entry per failed chunk. Every row ends uploaded or dead-lettered.
 */
export async function emitFindings(
  rows: readonly FindingRow[],
  sink: FindingSink,
  deadLetter: DeadLetterStore,
  context: Readonly<Record<string, unknown>>,
  now: () => Date,
): Promise<EmitOutcome> {
  if (rows.length === 0) return { uploaded: 0, deadLettered: 0, deadLetterBlobs: [], errors: [] };
  let result: Awaited<ReturnType<FindingSink['upload']>>;
  try {
    result = await sink.upload(rows);
  } catch (error) {
    // An unexpected failure (credential, configuration) fails every row, never some silently.
    result = {
      uploaded: 0,
      failures: [{ rows, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }],
    };
  }
  const blobs: string[] = [];
  let deadLettered = 0;
  for (const failure of result.failures) {
    try {
      blobs.push(
        await deadLetter.write({
          createdAt: now().toISOString(),
          error: failure.error,
          context,
          rows: failure.rows,
        }),
      );
      deadLettered += failure.rows.length;
    } catch (error) {
      const lost = result.failures
        .slice(result.failures.indexOf(failure))
        .reduce((n, f) => n + f.rows.length, 0);
      throw new DeadLetterFailedError(
        `upload failed (${failure.error}) and so did the dead-letter write (${errorText(error)}); ${lost} finding(s) not stored`,
        lost,
      );
    }
  }
  return {
    uploaded: result.uploaded,
    deadLettered,
    deadLetterBlobs: blobs,
    errors: result.failures.map((f) => f.error),
  };
}
