import { earliestEventPosition, type PartitionContext, type ReceivedEventData } from '@azure/event-hubs';
import { createCheckpointStore, createConsumer, type HubAddress } from '../azure/event-hub-clients.js';
import { readPartialSettings, SettingsError } from '../config/settings.js';
import { DeadLetterFailedError } from '../emit/emit-findings.js';
import { packageInfo } from '../package-info.js';
import { systemClock } from '../pipeline/clock.js';
import { processInvocation, type InvocationDeps } from '../pipeline/invocation.js';
import { cliDeadLetter, cliEnricher, cliSink } from './azure-wiring.js';
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

/**
 * The function's pipeline as a long-running consumer, for running outside Azure Functions: the
 * partitions are balanced across instances through the checkpoint store, and a batch is
 * checkpointed only after its findings were uploaded or dead-lettered (at least once).
 */
export async function runListen(
  options: ListenOptions,
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
  signals: NodeJS.EventEmitter = process,
): Promise<ExitCode> {
  const loaded = await loadRuleSetOrReport(options.rules, io.stderr, { reportBroken: true });
  if (loaded === undefined) return EXIT.usage;
  let deps: InvocationDeps;
  try {
    const { enrichment } = readPartialSettings(process.env, ['enrichment']);
    deps = {
      ruleSet: loaded.ruleSet,
      clock: systemClock,
      detectorVersion: packageInfo().version,
      enricher: enrichment.enabled ? cliEnricher() : undefined,
      sink: cliSink(),
      deadLetter: cliDeadLetter({
        ...(options.deadLetterContainer === undefined ? {} : { container: options.deadLetterContainer }),
        ...(options.deadLetterDir === undefined ? {} : { dir: options.deadLetterDir }),
      }),
    };
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    io.stderr.write(`${error.message}\n`);
    return EXIT.usage;
  }
  const address: HubAddress = {
    hub: options.hub,
    ...(options.namespace === undefined ? {} : { namespace: options.namespace }),
    ...(options.connectionString === undefined ? {} : { connectionString: options.connectionString }),
  };
  let checkpoints;
  try {
    checkpoints = await createCheckpointStore({
      ...(options.checkpointAccount === undefined ? {} : { containerUrl: options.checkpointAccount }),
      ...(options.checkpointConnectionString === undefined
        ? {}
        : { connectionString: options.checkpointConnectionString }),
      ...(options.checkpointContainer === undefined ? {} : { container: options.checkpointContainer }),
    });
  } catch (error) {
    io.stderr.write(
      `cannot use the checkpoint container: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`,
    );
    return EXIT.usage;
  }
  const client = createConsumer(address, options.consumerGroup, checkpoints, options.balanceInterval * 1000);
  const health = new Map<string, PartitionHealth>();
  const totals = { events: 0, findings: 0, batches: 0 };
  const inFlight = new Set<Promise<void>>();
  let stopping = false;
  const log = (entry: Record<string, unknown>): void => {
    io.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
  };

  const handleBatch = async (events: ReceivedEventData[], context: PartitionContext): Promise<void> => {
    const last = events[events.length - 1];
    if (last === undefined) return;
    const meta = {
      invocationId: `${context.partitionId}-${last.sequenceNumber}`,
      functionName: 'listen',
      partitionId: context.partitionId,
      sequenceNumbers: events.map((e) => e.sequenceNumber),
    };
    for (let attempt = 0; ; attempt++) {
      try {
        const summary = await processInvocation(
          events.map((e) => e.body as unknown),
          meta,
          deps,
        );
        log({ summary });
        totals.findings += summary.findings;
        break;
      } catch (error) {
        // Nothing was stored: keep the batch (no checkpoint) and try again, unless shutting down.
        if (!(error instanceof DeadLetterFailedError) || stopping) throw error;
        log({ warning: `${error.message}; retrying` });
        await new Promise((resolve) => setTimeout(resolve, Math.min(60_000, 1000 * 2 ** attempt)));
      }
    }
    await context.updateCheckpoint(last);
    const partition = health.get(context.partitionId) ?? {
      events: 0,
      lastSequenceNumber: undefined,
      lastEnqueuedSequenceNumber: undefined,
    };
    partition.events += events.length;
    partition.lastSequenceNumber = last.sequenceNumber;
    partition.lastEnqueuedSequenceNumber =
      context.lastEnqueuedEventProperties?.sequenceNumber ?? partition.lastEnqueuedSequenceNumber;
    health.set(context.partitionId, partition);
    totals.events += events.length;
    totals.batches++;
  };

  const subscription = client.subscribe(
    {
      processEvents: (events, context) => {
        if (events.length === 0) return Promise.resolve();
        const work = handleBatch(events, context);
        inFlight.add(work);
        return work.finally(() => inFlight.delete(work));
      },
      processError: async (error, context) => {
        if (!stopping) log({ warning: `partition ${context.partitionId}: ${error.message}` });
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
    listening: {
      hub: options.hub,
      consumerGroup: options.consumerGroup,
      rules: loaded.ruleSet.active.length,
    },
  });

  const timer = setInterval(() => {
    const partitions = Object.fromEntries(
      [...health].map(([id, p]) => [
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
    log({ health: { ...totals, partitions } });
  }, options.healthInterval * 1000);

  await new Promise<void>((resolve) => {
    const stop = (): void => {
      signals.off('SIGTERM', stop);
      signals.off('SIGINT', stop);
      resolve();
    };
    signals.on('SIGTERM', stop);
    signals.on('SIGINT', stop);
  });
  // Graceful stop: no new batches, finish the ones in flight (which checkpoint), then disconnect.
  stopping = true;
  clearInterval(timer);
  await subscription.close();
  await Promise.allSettled([...inFlight]);
  await client.close();
  log({ stopped: totals });
  return EXIT.ok;
}
