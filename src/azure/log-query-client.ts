import type { TokenCredential } from '@azure/core-auth';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { LogsQueryClient, LogsQueryResultStatus } from '@azure/monitor-query-logs';
import type { QueryWindow } from '../hunt/hunt-query.js';
import { MissingTableError, type LogQueryPort, type QueryAnswer } from '../hunt/hunt.js';

export interface LogQueryOptions {
  readonly credential: TokenCredential;
  readonly workspaceId: string;
  /** The query API root including the version, default `https://api.loganalytics.io/v1`. */
  readonly endpoint?: string;
  readonly additionalPolicies?: readonly PipelinePolicy[];
  /** Retries of a throttled (429, with Retry-After) or failed request, by the SDK's retry policy. */
  readonly maxRetries?: number;
}

/**
 * `@azure/monitor-query-logs` behind the hunt's port. The SDK parses `dynamic` cells and turns
 * `datetime` cells into Date objects; the shape converters accept both. Its retry policy honours
 * Retry-After on 429 (the query API throttles at 200 requests per 30 s per user and queues at most
 * five concurrent queries: https://learn.microsoft.com/azure/azure-monitor/fundamentals/service-limits,
 * "Log queries and language"); every 429 is counted here, after the retry policy, so the hunt can
 * say how often it was throttled.
 */
export class LogAnalyticsQuery implements LogQueryPort {
  private readonly client: LogsQueryClient;
  private throttled = 0;

  constructor(private readonly options: LogQueryOptions) {
    this.client = new LogsQueryClient(options.credential, {
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
      retryOptions: { maxRetries: options.maxRetries ?? 5 },
      additionalPolicies: [
        ...(options.additionalPolicies ?? []).map((policy) => ({ policy, position: 'perRetry' as const })),
        { policy: this.countThrottling(), position: 'perRetry' as const },
      ],
    });
  }

  get throttledResponses(): number {
    return this.throttled;
  }

  async query(kql: string, window: QueryWindow): Promise<QueryAnswer> {
    // The query's own `where` bounds the time; the timespan only has to cover it.
    let result;
    try {
      result = await this.client.queryWorkspace(
        this.options.workspaceId,
        kql,
        { startTime: window.start, endTime: window.end },
        { serverTimeoutInSeconds: 600 },
      );
    } catch (error) {
      // A table the workspace never received data for is a semantic error naming it.
      const details = JSON.stringify((error as { details?: unknown }).details ?? null) ?? '';
      if (/Failed to resolve table or column expression/i.test(`${String(error)} ${details}`))
        throw new MissingTableError(kql.split('\n')[0] ?? kql);
      throw error;
    }
    const tables = result.status === LogsQueryResultStatus.Success ? result.tables : result.partialTables;
    const table = tables[0];
    const answer = { columns: table?.columnDescriptors ?? [], rows: table?.rows ?? [] };
    if (result.status === LogsQueryResultStatus.Success) return answer;
    return { ...answer, partialError: `${result.partialError.code}: ${result.partialError.message}` };
  }

  private countThrottling(): PipelinePolicy {
    return {
      name: 'kube-job-detector-count-throttling',
      sendRequest: async (request, next) => {
        const response = await next(request);
        if (response.status === 429) this.throttled++;
        return response;
      },
    };
  }
}
