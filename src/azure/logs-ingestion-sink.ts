import type { TokenCredential } from '@azure/core-auth';
import { scalarText } from '../util/scalar-text.js';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { isAggregateLogsUploadError, LogsIngestionClient } from '@azure/monitor-ingestion';
import type { FindingSink, UploadFailure } from '../emit/finding-sink.js';
import type { FindingRow } from '../findings/finding-row.js';

export interface IngestionOptions {
  readonly endpoint: string;
  readonly dcrImmutableId: string;
  readonly streamName: string;
  readonly credential: TokenCredential;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  /** First retry delay; the SDK backs off exponentially from it. */
  readonly retryDelayMs?: number;
  readonly additionalPolicies?: readonly PipelinePolicy[];
}

/**
 * Uploads finding rows to a data collection rule with `LogsIngestionClient`, which gzips ~1 MB
 * chunks and retries them. A chunk that still fails comes back as a failure with its cause; the
 * aggregate error's own message says nothing, so each cause is kept.
 */
export class LogsIngestionSink implements FindingSink {
  private readonly client: LogsIngestionClient;

  constructor(private readonly options: IngestionOptions) {
    this.client = new LogsIngestionClient(options.endpoint, options.credential, {
      retryOptions: {
        maxRetries: options.maxRetries,
        ...(options.retryDelayMs === undefined ? {} : { retryDelayInMs: options.retryDelayMs }),
      },
      additionalPolicies: [timeoutPolicy(options.timeoutMs), ...(options.additionalPolicies ?? [])].map(
        (policy) => ({ policy, position: 'perCall' as const }),
      ),
    });
  }

  async upload(rows: readonly FindingRow[]): Promise<{ uploaded: number; failures: UploadFailure[] }> {
    const logs = rows as unknown as Record<string, unknown>[];
    try {
      await this.client.upload(this.options.dcrImmutableId, this.options.streamName, logs, {
        maxConcurrency: 2,
      });
      return { uploaded: rows.length, failures: [] };
    } catch (error) {
      if (!isAggregateLogsUploadError(error)) throw error;
      const failures = error.errors.map((e) => ({
        rows: e.failedLogs as unknown as FindingRow[],
        error: describeCause(e.cause),
      }));
      const failed = failures.reduce((n, f) => n + f.rows.length, 0);
      return { uploaded: rows.length - failed, failures };
    }
  }
}

/** Gives every request a deadline: the service can hang, and the SDK sets none by default. */
function timeoutPolicy(timeoutMs: number): PipelinePolicy {
  return {
    name: 'kubeJobDetectorTimeout',
    sendRequest: (request, next) => {
      request.timeout = timeoutMs;
      return next(request);
    },
  };
}

function describeCause(cause: Error): string {
  const status = (cause as { statusCode?: unknown }).statusCode;
  const code = (cause as { code?: unknown }).code;
  const detail = [
    status === undefined ? undefined : `HTTP ${scalarText(status) ?? 'status'}`,
    typeof code === 'string' ? code : undefined,
  ]
    .filter(Boolean)
    .join(' ');
  return `${cause.name}${detail === '' ? '' : ` (${detail})`}: ${cause.message.split('\n')[0] ?? ''}`;
}
