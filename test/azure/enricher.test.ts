import { describe, expect, it } from 'vitest';
import type { ClusterLookup, LookupResult } from '../../src/enrich/cluster-lookup.js';
import { Enricher, type Timers } from '../../src/enrich/enricher.js';
import { ENRICHMENT_MAX_BYTES } from '../../src/findings/bound/bound-row.js';
import type { FindingRow } from '../../src/findings/finding-row.js';
import type { ClusterRef } from '../../src/sources/resource-id.js';

const ID = '/subscriptions/s/resourcegroups/rg/providers/microsoft.containerservice/managedclusters/aks-1';
const row = (clusterId: string | null = ID): FindingRow =>
  ({ ClusterResourceId: clusterId, ClusterName: 'AKS-1', Enrichment: {} }) as unknown as FindingRow;

class ScriptedLookup implements ClusterLookup {
  calls = 0;
  constructor(private readonly results: LookupResult[]) {}
  async lookup(_cluster: ClusterRef): Promise<LookupResult> {
    this.calls++;
    await Promise.resolve();
    return this.results.shift() ?? { status: 'ok', metadata: { name: 'aks-1' } };
  }
}

function harness(results: LookupResult[], budgetMs = 10_000) {
  let now = 0;
  const slept: number[] = [];
  const timers: Timers = {
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
    abortAfter: () => new AbortController().signal,
  };
  const lookup = new ScriptedLookup(results);
  const enricher = new Enricher(lookup, { now: () => new Date(now) }, timers, {
    ttlMs: 1000,
    negativeTtlMs: 500,
    budgetMs,
  });
  return { enricher, lookup, slept, advance: (ms: number) => (now += ms) };
}

describe('Enricher', () => {
  it('keeps the enrichment within its cap, and says it cut it', async () => {
    const tags = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`team-${i}`, 'v'.repeat(256)]));
    const h = harness([{ status: 'ok', metadata: { name: 'aks-1', location: 'westeurope', tags } }]);
    const { findings } = await h.enricher.enrich([{ ...row(), Truncated: {} }]);
    const finding = findings[0] as FindingRow;
    expect(Buffer.byteLength(JSON.stringify(finding.Enrichment))).toBeLessThanOrEqual(ENRICHMENT_MAX_BYTES);
    expect(finding.Truncated['Enrichment']).toBeGreaterThan(50 * 256);
  });

  it('coalesces concurrent lookups of one cluster and caches them for the TTL', async () => {
    const h = harness([]);
    const { findings, outcome } = await h.enricher.enrich(Array.from({ length: 50 }, () => row()));
    expect(h.lookup.calls).toBe(1);
    expect(outcome).toMatchObject({ lookups: 1, cacheHits: 49, byStatus: { ok: 50 } });
    expect(findings[0]?.ClusterName).toBe('aks-1');
    h.advance(999);
    await h.enricher.enrich([row()]);
    expect(h.lookup.calls).toBe(1);
    h.advance(2);
    await h.enricher.enrich([row()]);
    expect(h.lookup.calls).toBe(2);
  });

  it('retries a throttled lookup after Retry-After within the budget only', async () => {
    const within = harness([{ status: 'throttled', retryAfterMs: 2000, message: 'ARM 429' }]);
    const [ok] = (await within.enricher.enrich([row()])).findings;
    expect(ok?.Enrichment).toMatchObject({ status: 'ok' });
    expect(within.slept).toEqual([2000]);

    const beyond = harness([{ status: 'throttled', retryAfterMs: 60_000, message: 'ARM 429' }], 5000);
    const [throttled] = (await beyond.enricher.enrich([row()])).findings;
    expect(throttled?.Enrichment).toMatchObject({ status: 'throttled' });
    expect(beyond.slept).toEqual([]);
  });

  it('does not cache errors, remembers not-found briefly, and skips findings without a cluster', async () => {
    const h = harness([
      { status: 'error', message: 'ARM 500' },
      { status: 'not-found', message: 'ARM 404' },
    ]);
    expect((await h.enricher.enrich([row()])).findings[0]?.Enrichment).toMatchObject({
      status: 'error',
      reason: 'ARM 500',
    });
    expect((await h.enricher.enrich([row()])).findings[0]?.Enrichment).toMatchObject({ status: 'not-found' });
    expect((await h.enricher.enrich([row()])).findings[0]?.Enrichment).toMatchObject({ status: 'not-found' });
    expect(h.lookup.calls).toBe(2);
    expect((await h.enricher.enrich([row(null)])).findings[0]?.Enrichment).toMatchObject({
      status: 'skipped',
    });
  });

  it('turns a lookup that throws into an error status', async () => {
    const enricher = new Enricher(
      { lookup: async () => Promise.reject(new Error('socket hang up')) },
      { now: () => new Date(0) },
      { sleep: async () => undefined, abortAfter: () => new AbortController().signal },
    );
    expect((await enricher.enrich([row()])).findings[0]?.Enrichment).toEqual({
      status: 'error',
      reason: 'socket hang up',
    });
  });
});
