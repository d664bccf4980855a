import { randomUUID } from 'node:crypto';
import type { ContainerClient } from '@azure/storage-blob';
import { scalarText } from '../util/scalar-text.js';
import type { ClaimResult, DeadLetterEntry, DeadLetterStore } from '../emit/finding-sink.js';

/** A resend holds an entry with a blob lease of this many seconds (15–60), renewed while it sends. */
const LEASE_SECONDS = 60;

/**
 * One JSON blob per failed batch, named by time so a listing reads in order, and a UUID so two
 * writers in the same millisecond never overwrite each other:
 * `2025/03/04/09/2025-03-04T09-15-27.123Z-<invocation>-<uuid>.json`.
 */
export class BlobDeadLetterStore implements DeadLetterStore {
  constructor(private readonly container: ContainerClient) {}

  async write(entry: DeadLetterEntry): Promise<string> {
    const stamp = entry.createdAt.replace(/:/g, '-');
    const invocation = (scalarText(entry.context['invocationId']) ?? 'cli').replace(/[^A-Za-z0-9-]/g, '');
    const name = `${entry.createdAt.slice(0, 13).replace(/[-T]/g, '/')}/${stamp}-${invocation}-${randomUUID()}.json`;
    const body = JSON.stringify({ version: 1, ...entry });
    await this.container.getBlockBlobClient(name).upload(body, Buffer.byteLength(body), {
      blobHTTPHeaders: { blobContentType: 'application/json' },
      metadata: { rows: String(entry.rows.length) },
      // Never overwrite an entry.
      conditions: { ifNoneMatch: '*' },
    });
    return name;
  }

  async *list(): AsyncIterable<string> {
    for await (const blob of this.container.listBlobsFlat()) yield blob.name;
  }

  /** A blob lease is the claim: a second resend gets 409 (lease present) and leaves the entry to the first. */
  async claim(name: string): Promise<ClaimResult> {
    const blob = this.container.getBlockBlobClient(name);
    const lease = blob.getBlobLeaseClient();
    try {
      await lease.acquireLease(LEASE_SECONDS);
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 409 || status === 404) return { taken: true };
      throw error;
    }
    const renewal = setInterval(
      () => void lease.renewLease().catch(() => undefined),
      (LEASE_SECONDS * 1000) / 3,
    );
    renewal.unref();
    const release = async (): Promise<void> => {
      clearInterval(renewal);
      await lease.releaseLease();
    };
    try {
      const parsed = JSON.parse((await blob.downloadToBuffer()).toString('utf8')) as DeadLetterEntry;
      if (!Array.isArray(parsed.rows)) throw new Error(`dead-letter blob ${name} has no rows array`);
      return {
        claimed: {
          entry: parsed,
          release,
          remove: async () => {
            clearInterval(renewal);
            await blob.delete({ conditions: { leaseId: lease.leaseId } });
          },
        },
      };
    } catch (error) {
      await release();
      throw error;
    }
  }
}
