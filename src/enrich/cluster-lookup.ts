import type { ClusterRef } from '../sources/resource-id.js';

/** What ARM says about a cluster, already reduced to the fields a finding carries. */
export type ClusterMetadata = Readonly<Record<string, unknown>>;

export type LookupResult =
  | { readonly status: 'ok'; readonly metadata: ClusterMetadata }
  | { readonly status: 'not-found'; readonly message: string }
  | { readonly status: 'throttled'; readonly retryAfterMs: number | undefined; readonly message: string }
  | { readonly status: 'error'; readonly message: string }
  /** No token: the credential chain found no sign-in (no `az login`, no managed identity). */
  | { readonly status: 'unauthenticated'; readonly message: string };

/** Looks one cluster up; never throws for an ARM failure, it says what happened instead. */
export interface ClusterLookup {
  lookup(cluster: ClusterRef, signal: AbortSignal): Promise<LookupResult>;
}
