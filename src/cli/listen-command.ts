import {
  earliestEventPosition,
  type CheckpointStore,
  type PartitionContext,
  type ReceivedEventData,
} from '@azure/event-hubs';
import { createCheckpointStore, createConsumer, type HubAddress } from '../azure/event-hub-clients.js';
import { readPartialSettings, SettingsError } from '../config/settings.js';
import { DeadLetterFailedError } from '../emit/emit-findings.js';
import { packageInfo } from '../package-info.js';
import { processInvocation, type InvocationDeps } from '../pipeline/invocation.js';
import { errorText } from '../util/error-text.js';
import { cliRuntime } from './azure-wiring.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { loadRuleSetOrReport } from './load-rules-or-report.js';

export interface ListenOptions {
  readonly namespace?: string;
  readonly hub: string;
  readonly connectionString?: string;
  readonly consumerGroup: string;
  readonly checkpointAccount?: string;
  readonly checkpointConnectionString?: string;
  readonly checkpointContainer?: string;
  readonly rules: string[];
  readonly healthInterval: number;
  /** Seconds between load-balancing rounds (claiming and releasing partitions). */
  readonly balanceInterval: number;
  readonly deadLetterContainer?: string;
  readonly deadLetterDir?: string;
}

interface PartitionHealth {
  events: number;
  lastSequenceNumber: number | undefined;
  lastEnqueuedSequenceNumber: number | undefined;
}

type Io = { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream };
type Log = (entry: Record<string, unknown>) => void;

/**
 * The function's pipeline as a long-running consumer, for running outside Azure Functions: the
 * partitions are balanced across instances through the checkpoint store, and a batch is
 * checkpointed only after its findings were uploaded or dead-lettered (at least once).
 */
export async function runListen(
  options: ListenOptions,
  io: Io,
  signals: NodeJS.EventEmitter = process,
): Promise<ExitCode> {
  const deps = await listenDeps(options, io);
  if (deps === undefined) return EXIT.usage;
  const checkpoints = await openCheckpoints(options, io);
  if (checkpoints === undefined) return EXIT.usage;
  const address: HubAddress = {
    hub: options.hub,
    ...(options.namespace === undefined ? {} : { namespace: options.namespace }),
    ...(options.connectionString === undefined ? {} : { connectionString: options.connectionString }),
  };
  const client = createConsumer(address, options.consumerGroup, checkpoints, options.balanceInterval * 1000);
  const log: Log = (entry) => {
    io.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
  };
  const consumer = new ListenConsumer(deps, log);
  const subscription = client.subscribe(
    {
      processEvents: (events, context) => consumer.track(events, context),
      processError: (error, context) => {
        if (!consumer.stopping) log({ warning: `partition ${context.partitionId}: ${error.message}` });
        return Promise.resolve();
      },
    },
    {
      startPosition: earliestEventPosition,
      maxBatchSize: 100,
      maxWaitTimeInSeconds: 5,
      skipParsingBodyAsJson: true,
      trackLastEnqueuedEventProperties: true,
    },
  );
  log({
    listening: { hub: options.hub, consumerGroup: options.consumerGroup, rules: deps.ruleSet.active.length },
  });
  const timer = setInterval(() => log({ health: consumer.health() }), options.healthInterval * 1000);
  await stopSignal(signals);
  // Graceful stop: no new batches, finish the ones in flight (which checkpoint), then disconnect.
  consumer.stopping = true;
  clearInterval(timer);
  await subscription.close();
  await consumer.drain();
  await client.close();
  log({ stopped: consumer.totals });
  return EXIT.ok;
}

/** The rules and the delivery runtime; undefined (after saying why) when either cannot be had. */
async function listenDeps(options: ListenOptions, io: Io): Promise<InvocationDeps | undefined> {
  const loaded = await loadRuleSetOrReport(options.rules, io.stderr, { reportBroken: true });
  if (loaded === undefined) return undefined;
  try {
    const runtime = cliRuntime({
      enrich: 'settings',
      upload: true,
      deadLetterContainer: options.deadLetterContainer,
      deadLetterDir: options.deadLetterDir,
    });
    const { findings } = readPartialSettings(process.env, ['findings']);
    return {
      ...runtime,
      ruleSet: loaded.ruleSet,
      detectorVersion: packageInfo().version,
      findingPolicy: findings,
    };
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    io.stderr.write(`${error.message}\n`);
    return undefined;
  }
}

async function openCheckpoints(options: ListenOptions, io: Io): Promise<CheckpointStore | undefined> {
  try {
    return await createCheckpointStore({
      ...(options.checkpointAccount === undefined ? {} : { containerUrl: options.checkpointAccount }),
      ...(options.checkpointConnectionString === undefined
        ? {}
        : { connectionString: options.checkpointConnectionString }),
      ...(options.checkpointContainer === undefined ? {} : { container: options.checkpointContainer }),
    });
  } catch (error) {
    io.stderr.write(`cannot use the checkpoint container: ${errorText(error).split('\n')[0] ?? ''}\n`);
    return undefined;
  }
}

function stopSignal(signals: NodeJS.EventEmitter): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (): void => {
      signals.off('SIGTERM', stop);
      signals.off('SIGINT', stop);
      resolve();
    };
    signals.on('SIGTERM', stop);
    signals.on('SIGINT', stop);
  });
}

/** Runs each batch through the pipeline, checkpoints it once stored, and keeps per-partition health. */
class ListenConsumer {
  stopping = false;
  readonly totals = { events: 0, findings: 0, batches: 0 };
  private readonly partitions = new Map<string, PartitionHealth>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly deps: InvocationDeps,
    private readonly log: Log,
  ) {}

  track(events: ReceivedEventData[], context: PartitionContext): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    const work = this.handleBatch(events, context);
    this.inFlight.add(work);
    return work.finally(() => this.inFlight.delete(work));
  }

  async drain(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  health(): Record<string, unknown> {
    const partitions = Object.fromEntries(
      [...this.partitions].map(([id, p]) => [
        id,
        {
          events: p.events,
          lag:
            p.lastEnqueuedSequenceNumber === undefined || p.lastSequenceNumber === undefined
              ? null
              : p.lastEnqueuedSequenceNumber - p.lastSequenceNumber,
        },
      ]),
    );
    return { ...this.totals, partitions };
  }

  private async handleBatch(events: ReceivedEventData[], context: PartitionContext): Promise<void> {
    const last = events[events.length - 1];
    if (last === undefined) return;
    await this.processUntilStored(events, context.partitionId, last.sequenceNumber);
    await context.updateCheckpoint(last);
    const partition = this.partitions.get(context.partitionId) ?? {
      events: 0,
      lastSequenceNumber: undefined,
      lastEnqueuedSequenceNumber: undefined,
    };
    partition.events += events.length;
    partition.lastSequenceNumber = last.sequenceNumber;
    partition.lastEnqueuedSequenceNumber =
      context.lastEnqueuedEventProperties?.sequenceNumber ?? partition.lastEnqueuedSequenceNumber;
    this.partitions.set(context.partitionId, partition);
    this.totals.events += events.length;
    this.totals.batches++;
  }

  private async processUntilStored(
    events: ReceivedEventData[],
    partitionId: string,
    lastSequenceNumber: number,
  ): Promise<void> {
    const meta = {
      invocationId: `${partitionId}-${lastSequenceNumber}`,
      functionName: 'listen',
      partitionId,
      sequenceNumbers: events.map((e) => e.sequenceNumber),
    };
    for (let attempt = 0; ; attempt++) {
      try {
        const summary = await processInvocation(
          events.map((e) => e.body as unknown),
          meta,
          this.deps,
        );
        this.log({ summary });
        this.totals.findings += summary.findings;
        return;
      } catch (error) {
        // Nothing was stored: keep the batch (no checkpoint) and try again, unless shutting down.
        if (!(error instanceof DeadLetterFailedError) || this.stopping) throw error;
        this.log({ warning: `${error.message}; retrying` });
        await new Promise((resolve) => setTimeout(resolve, Math.min(60_000, 1000 * 2 ** attempt)));
      }
    }
  }
}
