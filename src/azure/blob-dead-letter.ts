import type { ContainerClient } from '@azure/storage-blob';
import { scalarText } from '../util/scalar-text.js';
import type { DeadLetterEntry, DeadLetterStore } from '../emit/finding-sink.js';

/**
 * One JSON blob per failed batch, named by time so a listing reads in order:
 * `2025/03/04/09/2025-03-04T09-15-27.123Z-<invocation>-<n>.json`.
 */
export class BlobDeadLetterStore implements DeadLetterStore {
  private sequence = 0;

  constructor(private readonly container: ContainerClient) {}

  async write(entry: DeadLetterEntry): Promise<string> {
    const stamp = entry.createdAt.replace(/:/g, '-');
    const invocation = (scalarText(entry.context['invocationId']) ?? 'cli').replace(/[^A-Za-z0-9-]/g, '');
    const name = `${entry.createdAt.slice(0, 13).replace(/[-T]/g, '/')}/${stamp}-${invocation}-${this.sequence++}.json`;
    const body = JSON.stringify({ version: 1, ...entry });
    await this.container.getBlockBlobClient(name).upload(body, Buffer.byteLength(body), {
      blobHTTPHeaders: { blobContentType: 'application/json' },
      metadata: { rows: String(entry.rows.length) },
    });
    return name;
  }

  async *list(): AsyncIterable<string> {
    for await (const blob of this.container.listBlobsFlat()) yield blob.name;
  }

  async read(name: string): Promise<DeadLetterEntry> {
    const buffer = await this.container.getBlockBlobClient(name).downloadToBuffer();
    const parsed = JSON.parse(buffer.toString('utf8')) as DeadLetterEntry & { version?: number };
    if (!Array.isArray(parsed.rows)) throw new Error(`dead-letter blob ${name} has no rows array`);
    return parsed;
  }

  async remove(name: string): Promise<void> {
    await this.container.getBlockBlobClient(name).delete();
  }
}
