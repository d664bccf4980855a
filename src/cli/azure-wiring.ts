import { DefaultAzureCredential } from '@azure/identity';
import { ContainerClient } from '@azure/storage-blob';
import { ArmClusterLookup } from '../azure/arm-cluster-lookup.js';
import { BlobDeadLetterStore } from '../azure/blob-dead-letter.js';
import { LogsIngestionSink } from '../azure/logs-ingestion-sink.js';
import { realTimers } from '../azure/real-timers.js';
import { readPartialSettings } from '../config/settings.js';
import { DirectoryDeadLetterStore } from '../emit/directory-dead-letter.js';
import type { DeadLetterStore, FindingSink } from '../emit/finding-sink.js';
import { Enricher } from '../enrich/enricher.js';
import { systemClock } from '../util/clock.js';

/**
 * The command line reaches Azure with the same settings as the function (environment variables of
 * the same names) and DefaultAzureCredential: `az login` on a laptop, or AZURE_TOKEN_CREDENTIALS to
 * pick one credential.
 */
const credential = (() => {
  let instance: DefaultAzureCredential | undefined;
  return () => (instance ??= new DefaultAzureCredential());
})();

export function cliEnricher(): Enricher {
  const { enrichment } = readPartialSettings(process.env, ['enrichment']);
  return new Enricher(
    new ArmClusterLookup({ credential: credential(), endpoint: enrichment.armEndpoint }),
    systemClock,
    realTimers,
    {
      ttlMs: enrichment.cacheTtlMs,
      negativeTtlMs: Math.min(enrichment.cacheTtlMs, 60_000),
      budgetMs: enrichment.budgetMs,
    },
  );
}

export function cliSink(): FindingSink {
  const { ingestion } = readPartialSettings(process.env, ['ingestion']);
  return new LogsIngestionSink({ ...ingestion, credential: credential() });
}

/** A blob container when one is named (flag or DEADLETTER_CONTAINER_URL), else a local directory. */
export function cliDeadLetter(options: { container?: string; dir?: string }): DeadLetterStore {
  const container =
    options.container ?? (options.dir === undefined ? process.env['DEADLETTER_CONTAINER_URL'] : undefined);
  if (container !== undefined && container !== '') {
    const url = readPartialSettings({ DEADLETTER_CONTAINER_URL: container }, [
      'deadLetterContainerUrl',
    ]).deadLetterContainerUrl;
    return new BlobDeadLetterStore(new ContainerClient(url, credential()));
  }
  return new DirectoryDeadLetterStore(options.dir ?? 'kube-job-detector-deadletter');
}
