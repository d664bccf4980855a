import type { TokenCredential } from '@azure/core-auth';
import type { DeadLetterStore, FindingSink } from '../emit/finding-sink.js';
import type { ClusterLookup } from '../enrich/cluster-lookup.js';

/**
 * Adapters that load their Azure SDK on first use. Loading the SDKs costs most of a process's
 * start-up, and a batch without findings never needs them: `scan` without --upload, and most
 * function invocations, never pay for it.
 */

/** Runs `load` once, on the first call; later calls share its promise. */
export function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => (loaded ??= load());
}

/** DefaultAzureCredential, imported when the first token is asked for. */
export function lazyDefaultCredential(): TokenCredential {
  const credential = once(async () => new (await import('@azure/identity')).DefaultAzureCredential());
  return { getToken: async (scopes, options) => (await credential()).getToken(scopes, options) };
}

export function lazySink(load: () => Promise<FindingSink>): FindingSink {
  const sink = once(load);
  return { upload: async (rows) => (await sink()).upload(rows) };
}

export function lazyClusterLookup(load: () => Promise<ClusterLookup>): ClusterLookup {
  const lookup = once(load);
  return { lookup: async (cluster, signal) => (await lookup()).lookup(cluster, signal) };
}

export function lazyDeadLetterStore(load: () => Promise<DeadLetterStore>): DeadLetterStore {
  const store = once(load);
  return {
    write: async (entry) => (await store()).write(entry),
    async *list() {
      yield* (await store()).list();
    },
    claim: async (name) => (await store()).claim(name),
  };
}
