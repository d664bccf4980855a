import { ENRICHMENT_MAX_BYTES } from '../findings/bound/bound-row.js';
import { boundValue } from '../findings/bound/bound-value.js';
import type { FindingRow } from '../findings/finding-row.js';
import type { Clock } from '../util/clock.js';
import { parseClusterId, type ClusterRef } from '../sources/resource-id.js';
import type { ClusterLookup, LookupResult } from './cluster-lookup.js';

export interface EnricherOptions {
  /** How long a successful lookup is reused. */
  readonly ttlMs: number;
  /** How long "not found" is remembered, so a deleted cluster is not asked about on every finding. */
  readonly negativeTtlMs: number;
  /** The most one invocation spends waiting on ARM, including Retry-After waits. */
  readonly budgetMs: number;
}

export const DEFAULT_ENRICHER_OPTIONS: EnricherOptions = {
  ttlMs: 15 * 60_000,
  negativeTtlMs: 60_000,
  budgetMs: 20_000,
};

/** Waiting and deadlines, injected so the core never reads a real clock. */
export interface Timers {
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /** A signal that aborts after `ms`. */
  abortAfter(ms: number): AbortSignal;
}

export interface EnrichmentOutcome {
  readonly lookups: number;
  readonly cacheHits: number;
  readonly byStatus: Record<string, number>;
}

type Enrichment = Record<string, unknown>;

interface CacheEntry {
  readonly expiresAt: number;
  readonly value: Promise<Enrichment>;
}

/**
 * Adds cluster metadata to findings. Lookups are cached by lower-cased resource id with a TTL and
 * coalesced while in flight; a 429 is retried after its Retry-After only while the invocation's
 * budget lasts. Enrichment never holds a finding back: on any failure the finding keeps a status
 * saying why.
 */
export class Enricher {
  private readonly cache = new Map<string, CacheEntry>();

  constructor(
    private readonly lookup: ClusterLookup,
    private readonly clock: Clock,
    private readonly timers: Timers,
    private readonly options: EnricherOptions = DEFAULT_ENRICHER_OPTIONS,
  ) {}

  async enrich(
    findings: readonly FindingRow[],
  ): Promise<{ findings: FindingRow[]; outcome: EnrichmentOutcome }> {
    const deadline = this.clock.now().getTime() + this.options.budgetMs;
    const signal = this.timers.abortAfter(this.options.budgetMs);
    const outcome = { lookups: 0, cacheHits: 0, byStatus: {} as Record<string, number> };
    const enriched = await Promise.all(
      findings.map(async (finding) => {
        const cluster = parseClusterId(finding.ClusterResourceId);
        const enrichment =
          cluster === undefined
            ? { status: 'skipped', reason: 'the record names no cluster' }
            : await this.forCluster(cluster, deadline, signal, outcome);
        const status = String(enrichment['status']);
        outcome.byStatus[status] = (outcome.byStatus[status] ?? 0) + 1;
        // Exports upper-case resource ids; ARM knows the name as it was created.
        const name = enrichment['name'];
        const clusterName =
          typeof name === 'string' && name.toLowerCase() === finding.ClusterName?.toLowerCase()
            ? name
            : finding.ClusterName;
        const bounded = boundValue(enrichment, ENRICHMENT_MAX_BYTES, () => []);
        return {
          ...finding,
          ClusterName: clusterName,
          Enrichment: bounded.value as Enrichment,
          Truncated:
            bounded.originalBytes === undefined
              ? finding.Truncated
              : { ...finding.Truncated, Enrichment: bounded.originalBytes },
        };
      }),
    );
    return { findings: enriched, outcome };
  }

  private forCluster(
    cluster: ClusterRef,
    deadline: number,
    signal: AbortSignal,
    outcome: { lookups: number; cacheHits: number },
  ): Promise<Enrichment> {
    const now = this.clock.now().getTime();
    const cached = this.cache.get(cluster.resourceId);
    if (cached !== undefined && cached.expiresAt > now) {
      outcome.cacheHits++;
      return cached.value;
    }
    outcome.lookups++;
    const value = this.lookupWithinBudget(cluster, deadline, signal).then((result) => {
      const ttl =
        result.status === 'ok'
          ? this.options.ttlMs
          : result.status === 'not-found'
            ? this.options.negativeTtlMs
            : 0;
      if (ttl > 0) this.cache.set(cluster.resourceId, { expiresAt: this.clock.now().getTime() + ttl, value });
      else this.cache.delete(cluster.resourceId);
      return toEnrichment(result);
    });
    // Coalesce: concurrent findings of one cluster share this lookup until it settles.
    this.cache.set(cluster.resourceId, { expiresAt: Number.POSITIVE_INFINITY, value });
    return value;
  }

  private async lookupWithinBudget(
    cluster: ClusterRef,
    deadline: number,
    signal: AbortSignal,
  ): Promise<LookupResult> {
    for (;;) {
      let result: LookupResult;
      try {
        result = await this.lookup.lookup(cluster, signal);
      } catch (error) {
        result = {
          status: 'error',
          message: signal.aborted
            ? 'enrichment budget exhausted'
            : error instanceof Error
              ? error.message
              : String(error),
        };
      }
      if (result.status !== 'throttled' || result.retryAfterMs === undefined) return result;
      const remaining = deadline - this.clock.now().getTime();
      if (result.retryAfterMs > remaining)
        return {
          ...result,
          message: `${result.message}; Retry-After ${Math.ceil(result.retryAfterMs / 1000)}s exceeds the enrichment budget`,
        };
      try {
        await this.timers.sleep(result.retryAfterMs, signal);
      } catch {
        return { ...result, message: `${result.message}; enrichment budget exhausted` };
      }
    }
  }
}

function toEnrichment(result: LookupResult): Enrichment {
  switch (result.status) {
    case 'ok':
      return { status: 'ok', ...result.metadata };
    case 'not-found':
      return { status: 'not-found', reason: result.message };
    case 'throttled':
      return { status: 'throttled', reason: result.message };
    case 'error':
      return { status: 'error', reason: result.message };
  }
}
