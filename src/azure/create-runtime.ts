import type { TokenCredential } from '@azure/core-auth';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { DefaultAzureCredential } from '@azure/identity';
import { ContainerClient } from '@azure/storage-blob';
import type { Settings } from '../config/settings.js';
import { Enricher } from '../enrich/enricher.js';
import { systemClock } from '../pipeline/clock.js';
import type { InvocationDeps } from '../pipeline/invocation.js';
import type { RuleSet } from '../rules/rule-set.js';
import { ArmClusterLookup } from './arm-cluster-lookup.js';
import { BlobDeadLetterStore } from './blob-dead-letter.js';
import { LogsIngestionSink } from './logs-ingestion-sink.js';
import { realTimers } from './real-timers.js';

export interface RuntimeOverrides {
  /** Defaults to DefaultAzureCredential (managed identity in Azure, developer sign-in locally). */
  readonly credential?: TokenCredential;
  /** A container client for the dead-letter store (tests point it at Azurite). */
  readonly deadLetterContainer?: ContainerClient;
  readonly additionalPolicies?: readonly PipelinePolicy[];
  readonly ingestionRetryDelayMs?: number;
}

/** Builds the adapters once per worker from validated settings; every invocation reuses them. */
export function createRuntime(
  settings: Settings,
  ruleSet: RuleSet,
  detectorVersion: string,
  overrides: RuntimeOverrides = {},
): InvocationDeps {
  const credential = overrides.credential ?? new DefaultAzureCredential();
  const policies = overrides.additionalPolicies ?? [];
  const enricher = settings.enrichment.enabled
    ? new Enricher(
        new ArmClusterLookup({
          credential,
          endpoint: settings.enrichment.armEndpoint,
          additionalPolicies: policies,
        }),
        systemClock,
        realTimers,
        {
          ttlMs: settings.enrichment.cacheTtlMs,
          negativeTtlMs: Math.min(settings.enrichment.cacheTtlMs, 60_000),
          budgetMs: settings.enrichment.budgetMs,
        },
      )
    : undefined;
  const sink = new LogsIngestionSink({
    endpoint: settings.ingestion.endpoint,
    dcrImmutableId: settings.ingestion.dcrImmutableId,
    streamName: settings.ingestion.streamName,
    credential,
    timeoutMs: settings.ingestion.timeoutMs,
    maxRetries: settings.ingestion.maxRetries,
    ...(overrides.ingestionRetryDelayMs === undefined
      ? {}
      : { retryDelayMs: overrides.ingestionRetryDelayMs }),
    additionalPolicies: policies,
  });
  const container =
    overrides.deadLetterContainer ?? new ContainerClient(settings.deadLetterContainerUrl, credential);
  return {
    ruleSet,
    clock: systemClock,
    detectorVersion,
    findingPolicy: settings.findings,
    enricher,
    sink,
    deadLetter: new BlobDeadLetterStore(container),
  };
}
