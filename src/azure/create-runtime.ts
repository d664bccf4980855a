import type { TokenCredential } from '@azure/core-auth';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import type { ContainerClient } from '@azure/storage-blob';
import type { Settings } from '../config/settings.js';
import type { DeadLetterStore } from '../emit/finding-sink.js';
import { Enricher } from '../enrich/enricher.js';
import type { Runtime } from '../pipeline/runtime.js';
import { systemClock, type Clock } from '../util/clock.js';
import { BlobDeadLetterStore } from './blob-dead-letter.js';
import { lazyClusterLookup, lazyDeadLetterStore, lazyDefaultCredential, lazySink } from './lazy-adapters.js';
import { realTimers } from './real-timers.js';

/** The settings a runtime is built from; a part that is absent (or enrichment disabled) is a stage skipped. */
export interface RuntimeSettings {
  readonly enrichment?: Settings['enrichment'];
  readonly ingestion?: Settings['ingestion'];
  /** The dead-letter blob container, unless `adapters.deadLetter` gives a store. */
  readonly deadLetterContainerUrl?: string;
}

export interface RuntimeAdapters {
  /** Defaults to DefaultAzureCredential (managed identity in Azure, developer sign-in locally), made only when used. */
  readonly credential?: TokenCredential;
  /** A dead-letter store other than the blob container (the CLI's local directory). */
  readonly deadLetter?: DeadLetterStore;
  /** A container client for the dead-letter store (tests point it at Azurite). */
  readonly deadLetterContainer?: ContainerClient;
  readonly additionalPolicies?: readonly PipelinePolicy[];
  readonly ingestionRetryDelayMs?: number;
  /** The cap on one `Retry-After` wait; the function derives it from `functionTimeout` in host.json. */
  readonly maxRetryAfterMs?: number;
  readonly clock?: Clock;
}

/**
 * Builds the Azure adapters once from validated settings; every batch reuses them. Each adapter
 * imports its SDK when first used (src/azure/lazy-adapters.ts), so building a runtime loads none.
 */
export function createRuntime(settings: RuntimeSettings, adapters: RuntimeAdapters = {}): Runtime {
  let credential = adapters.credential;
  const credentialOnce = (): TokenCredential => (credential ??= lazyDefaultCredential());
  const policies = adapters.additionalPolicies ?? [];
  const clock = adapters.clock ?? systemClock;
  const { enrichment, ingestion } = settings;
  const enricher =
    enrichment?.enabled === true
      ? new Enricher(
          lazyClusterLookup(async () => {
            const { ArmClusterLookup } = await import('./arm-cluster-lookup.js');
            return new ArmClusterLookup({
              credential: credentialOnce(),
              endpoint: enrichment.armEndpoint,
              additionalPolicies: policies,
            });
          }),
          clock,
          realTimers,
          {
            ttlMs: enrichment.cacheTtlMs,
            negativeTtlMs: Math.min(enrichment.cacheTtlMs, 60_000),
            budgetMs: enrichment.budgetMs,
          },
        )
      : undefined;
  const sink =
    ingestion === undefined
      ? undefined
      : lazySink(async () => {
          const { LogsIngestionSink } = await import('./logs-ingestion-sink.js');
          return new LogsIngestionSink({
            ...ingestion,
            credential: credentialOnce(),
            ...(adapters.ingestionRetryDelayMs === undefined
              ? {}
              : { retryDelayMs: adapters.ingestionRetryDelayMs }),
            ...(adapters.maxRetryAfterMs === undefined ? {} : { maxRetryAfterMs: adapters.maxRetryAfterMs }),
            additionalPolicies: policies,
          });
        });
  return { clock, enricher, sink, deadLetter: deadLetterStore(settings, adapters, credentialOnce) };
}

function deadLetterStore(
  settings: RuntimeSettings,
  adapters: RuntimeAdapters,
  credential: () => TokenCredential,
): DeadLetterStore | undefined {
  if (adapters.deadLetter !== undefined) return adapters.deadLetter;
  if (adapters.deadLetterContainer !== undefined)
    return new BlobDeadLetterStore(adapters.deadLetterContainer);
  const url = settings.deadLetterContainerUrl;
  if (url === undefined) return undefined;
  return lazyDeadLetterStore(async () => {
    const { ContainerClient } = await import('@azure/storage-blob');
    return new BlobDeadLetterStore(new ContainerClient(url, credential()));
  });
}
