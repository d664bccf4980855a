import type { TokenCredential } from '@azure/core-auth';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { DefaultAzureCredential } from '@azure/identity';
import { ContainerClient } from '@azure/storage-blob';
import type { Settings } from '../config/settings.js';
import type { DeadLetterStore } from '../emit/finding-sink.js';
import { Enricher } from '../enrich/enricher.js';
import type { Runtime } from '../pipeline/runtime.js';
import { systemClock, type Clock } from '../util/clock.js';
import { ArmClusterLookup } from './arm-cluster-lookup.js';
import { BlobDeadLetterStore } from './blob-dead-letter.js';
import { LogsIngestionSink } from './logs-ingestion-sink.js';
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
  readonly clock?: Clock;
}

/** Builds the Azure adapters once from validated settings; every batch reuses them. */
export function createRuntime(settings: RuntimeSettings, adapters: RuntimeAdapters = {}): Runtime {
  let credential = adapters.credential;
  const credentialOnce = (): TokenCredential => (credential ??= new DefaultAzureCredential());
  const policies = adapters.additionalPolicies ?? [];
  const clock = adapters.clock ?? systemClock;
  const { enrichment, ingestion } = settings;
  const enricher =
    enrichment?.enabled === true
      ? new Enricher(
          new ArmClusterLookup({
            credential: credentialOnce(),
            endpoint: enrichment.armEndpoint,
            additionalPolicies: policies,
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
      : new LogsIngestionSink({
          ...ingestion,
          credential: credentialOnce(),
          ...(adapters.ingestionRetryDelayMs === undefined
            ? {}
            : { retryDelayMs: adapters.ingestionRetryDelayMs }),
          additionalPolicies: policies,
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
  return settings.deadLetterContainerUrl === undefined
    ? undefined
    : new BlobDeadLetterStore(new ContainerClient(settings.deadLetterContainerUrl, credential()));
}
