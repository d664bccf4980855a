import type { EventDataBatch, EventHubProducerClient } from '@azure/event-hubs';
import { createProducer, type HubAddress } from '../azure/event-hub-clients.js';
import { restampBody } from '../emit/restamp.js';
import { readInputs } from '../inputs/read-inputs.js';
import { EXIT, type ExitCode } from './exit-codes.js';

export interface SendOptions {
  readonly namespace?: string;
  readonly hub: string;
  readonly connectionString?: string;
  readonly rewriteTime?: boolean;
}

interface PartitionTally {
  bodies: number;
  bytes: number;
  batches: number;
}

/**
 * Sends Event Hub bodies to a hub with the SDK's batch API, spread round-robin over its
 * partitions, and reports what went where. Anything that cannot be sent is named, and the exit
 * code says so.
 */
export async function runSend(
  paths: readonly string[],
  options: SendOptions,
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
): Promise<ExitCode> {
  const address: HubAddress = {
    hub: options.hub,
    ...(options.namespace === undefined ? {} : { namespace: options.namespace }),
    ...(options.connectionString === undefined ? {} : { connectionString: options.connectionString }),
  };
  let producer: EventHubProducerClient | undefined;
  let partitionIds: string[];
  try {
    producer = createProducer(address);
    partitionIds = await producer.getPartitionIds();
  } catch (error) {
    io.stderr.write(
      `cannot reach hub "${options.hub}"${options.namespace === undefined ? '' : ` in ${options.namespace}`}: ${describe(error)}\n`,
    );
    // An open AMQP connection would keep the process alive.
    await producer?.close();
    return EXIT.failure;
  }
  const tallies = new Map<string, PartitionTally>(
    partitionIds.map((id) => [id, { bodies: 0, bytes: 0, batches: 0 }]),
  );
  const batches = new Map<string, EventDataBatch>();
  let failures = 0;
  let next = 0;
  try {
    for await (const item of readInputs(paths)) {
      if (item.kind === 'problem') {
        io.stderr.write(`${item.where}: ${item.message}\n`);
        failures++;
        continue;
      }
      const bytes = bodyBytes(item.body, options.rewriteTime === true);
      const partitionId = partitionIds[next++ % partitionIds.length] as string;
      let batch = batches.get(partitionId) ?? (await producer.createBatch({ partitionId }));
      if (!batch.tryAdd({ body: bytes })) {
        if (batch.count > 0) {
          await send(producer, batch, partitionId, tallies);
          batch = await producer.createBatch({ partitionId });
        }
        if (!batch.tryAdd({ body: bytes })) {
          io.stderr.write(
            `${item.origin.file ?? 'input'}${item.origin.line === undefined ? '' : `, line ${item.origin.line}`}: body of ${bytes.length} bytes does not fit in one event (the hub accepts at most ${batch.maxSizeInBytes} bytes per batch); not sent\n`,
          );
          failures++;
        }
      }
      batches.set(partitionId, batch);
    }
    for (const [partitionId, batch] of batches)
      if (batch.count > 0) await send(producer, batch, partitionId, tallies);
  } catch (error) {
    io.stderr.write(`sending to hub "${options.hub}" failed: ${describe(error)}\n`);
    await producer.close();
    return EXIT.failure;
  }
  await producer.close();
  const total = [...tallies.values()].reduce((n, t) => n + t.bodies, 0);
  io.stdout.write(`Sent ${total} bodies to hub "${options.hub}":\n`);
  for (const [id, t] of tallies)
    io.stdout.write(`  partition ${id}: ${t.bodies} bodies, ${t.bytes} bytes, ${t.batches} batches\n`);
  return failures > 0 ? EXIT.partialInput : EXIT.ok;
}

async function send(
  producer: EventHubProducerClient,
  batch: EventDataBatch,
  partitionId: string,
  tallies: Map<string, PartitionTally>,
): Promise<void> {
  await producer.sendBatch(batch);
  const tally = tallies.get(partitionId) as PartitionTally;
  tally.bodies += batch.count;
  tally.bytes += batch.sizeInBytes;
  tally.batches++;
}

function bodyBytes(body: unknown, rewrite: boolean): Buffer {
  if (rewrite) return Buffer.from(restampBody(body, new Date()).body);
  if (body instanceof Uint8Array) return Buffer.from(body);
  return Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
}

/** The SDK's errors carry a code (UnauthorizedError, MessagingEntityNotFoundError, …) worth showing. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return `${typeof code === 'string' ? `${code}: ` : ''}${error.message.split('\n')[0] ?? error.name}`;
}
