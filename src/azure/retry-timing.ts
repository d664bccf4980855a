import type { PipelinePolicy, PipelineRequest } from '@azure/core-rest-pipeline';

/** The longest a single `Retry-After` is honoured; a larger one is cut to this. */
export const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;

export interface RetryTiming {
  /** The cap on one wait, whatever the service asks for. */
  readonly maxRetryAfterMs: number;
  /** The first backoff of a 429 without `Retry-After`; doubled each attempt, with ±20% jitter. */
  readonly baseDelayMs: number;
  readonly random?: () => number;
}

const RETRY_AFTER_HEADERS = ['retry-after-ms', 'x-ms-retry-after-ms', 'retry-after'] as const;

/**
 * Sits under the SDK's retry policy (`perRetry`) and rewrites what it reads: the SDK sleeps for
 * any `Retry-After`, however long (past the function's timeout), and does not retry a 429 that
 * has none (only 408 and 5xx back off exponentially). Here every 429/503 wait is capped, and a
 * bare 429 gets a jittered exponential wait, both as `retry-after-ms`.
 */
export function retryTimingPolicy(timing: RetryTiming): PipelinePolicy {
  const attempts = new WeakMap<PipelineRequest, number>();
  const random = timing.random ?? Math.random;
  return {
    name: 'kubeJobDetectorRetryTiming',
    async sendRequest(request, next) {
      const response = await next(request);
      if (response.status !== 429 && response.status !== 503) return response;
      const attempt = attempts.get(request) ?? 0;
      attempts.set(request, attempt + 1);
      const asked = retryAfterMs(response.headers.get.bind(response.headers));
      const backoff =
        response.status === 429 ? timing.baseDelayMs * 2 ** attempt * (0.8 + 0.4 * random()) : undefined;
      const wait = asked ?? backoff;
      if (wait === undefined) return response;
      for (const header of RETRY_AFTER_HEADERS) response.headers.delete(header);
      response.headers.set('retry-after-ms', String(Math.round(Math.min(wait, timing.maxRetryAfterMs))));
      return response;
    },
  };
}

/** The wait a response asks for, in any of the headers the SDK reads; undefined when none parses. */
function retryAfterMs(get: (name: string) => string | undefined): number | undefined {
  for (const header of RETRY_AFTER_HEADERS) {
    const value = get(header);
    if (value === undefined || value.trim() === '') continue;
    const n = Number(value);
    if (Number.isFinite(n) && n >= 0) return header === 'retry-after' ? n * 1000 : n;
    const date = Date.parse(value);
    if (header === 'retry-after' && Number.isFinite(date)) return Math.max(0, date - Date.now());
  }
  return undefined;
}

/**
 * The most one upload chunk can take: every attempt running to its timeout, and every wait
 * between them at the cap. The README states it; the function keeps it below half its timeout.
 */
export function retryBudgetMs(options: {
  readonly maxRetries: number;
  readonly timeoutMs: number;
  readonly maxRetryAfterMs: number;
}): number {
  return (options.maxRetries + 1) * options.timeoutMs + options.maxRetries * options.maxRetryAfterMs;
}

/**
 * The Retry-After cap that keeps one chunk's retries within half the function's timeout (the rest
 * is for enrichment and the dead-letter write), never above the default nor below one second.
 */
export function maxRetryAfterWithin(
  functionTimeoutMs: number,
  options: { readonly maxRetries: number; readonly timeoutMs: number },
): number {
  if (options.maxRetries === 0) return DEFAULT_MAX_RETRY_AFTER_MS;
  const spare = functionTimeoutMs / 2 - (options.maxRetries + 1) * options.timeoutMs;
  return Math.max(1000, Math.min(DEFAULT_MAX_RETRY_AFTER_MS, Math.floor(spare / options.maxRetries)));
}
