import type { InvocationContext } from '@azure/functions';
import { DeadLetterFailedError } from '../emit/emit-findings.js';
import { isRecord } from '../util/is-record.js';
import { maskSecrets } from '../util/terminal-text.js';
import { processInvocation, type InvocationDeps, type InvocationMeta } from '../pipeline/invocation.js';

/** The prefix of the one log line each invocation writes; the workbook parses what follows as JSON. */
export const SUMMARY_PREFIX = 'kube-job-detector summary ';

/**
 * The prefix of the error logged when the last retry fails and the host moves the checkpoint on:
 * those findings are lost. The Node worker sends `context.error` to Application Insights as a
 * trace of severity 3 (Error); the workbook's pipeline-health tab and the optional alert parse the
 * JSON that follows.
 */
export const RETRIES_EXHAUSTED_PREFIX = 'kube-job-detector retries exhausted ';

/**
 * The Event Hub trigger handler: reads the batch metadata the host passes, runs the pipeline and
 * logs one structured summary. It throws only when findings could be neither uploaded nor
 * dead-lettered, so the function's retry policy holds the checkpoint.
 */
export function createEventHubHandler(deps: InvocationDeps | (() => Promise<InvocationDeps>)) {
  return async (messages: unknown, context: InvocationContext): Promise<void> => {
    const resolved = typeof deps === 'function' ? await deps() : deps;
    const meta = invocationMeta(context);
    try {
      const summary = await processInvocation(messages, meta, resolved);
      context.log(`${SUMMARY_PREFIX}${JSON.stringify(summary)}`);
      if (summary.upload.deadLettered > 0)
        context.warn(
          maskSecrets(
            `${summary.upload.deadLettered} finding(s) dead-lettered: ${summary.upload.errors.join('; ')}`,
          ),
        );
      for (const problem of summary.problems)
        context.warn(maskSecrets(`unreadable input at ${problem.where}: ${problem.message}`));
    } catch (error) {
      if (error instanceof DeadLetterFailedError) {
        const retry = context.retryContext;
        if (retry !== undefined && retry.maxRetryCount >= 0 && retry.retryCount >= retry.maxRetryCount)
          context.error(
            `${RETRIES_EXHAUSTED_PREFIX}${JSON.stringify(exhaustedCounts(messages, meta, retry, error))}`,
          );
        else
          context.error(
            `${maskSecrets(error.message)}; failing the invocation so the retry policy keeps the checkpoint`,
          );
      }
      throw error;
    }
  };
}

/** One line with every count an operator needs to judge the loss. */
function exhaustedCounts(
  messages: unknown,
  meta: InvocationMeta,
  retry: { retryCount: number; maxRetryCount: number },
  error: DeadLetterFailedError,
): Record<string, unknown> {
  const { uploaded, deadLettered } = error.delivered;
  return {
    invocationId: meta.invocationId,
    functionName: meta.functionName,
    partition: meta.partitionId ?? null,
    firstSequenceNumber: meta.sequenceNumbers?.[0] ?? null,
    retries: retry.retryCount,
    bodies: Array.isArray(messages) ? messages.length : 1,
    findings: uploaded + deadLettered + error.lostRows,
    uploaded,
    deadLettered,
    lost: error.lostRows,
    error: maskSecrets(error.message),
  };
}

function invocationMeta(context: InvocationContext): InvocationMeta {
  const metadata = context.triggerMetadata ?? {};
  const partitionContext = isRecord(metadata['partitionContext']) ? metadata['partitionContext'] : {};
  const partitionId = partitionContext['partitionId'];
  const sequenceNumbers = metadata['sequenceNumberArray'];
  return {
    invocationId: context.invocationId,
    functionName: context.functionName,
    ...(typeof partitionId === 'string' ? { partitionId } : {}),
    ...(Array.isArray(sequenceNumbers) ? { sequenceNumbers: sequenceNumbers.map(Number) } : {}),
  };
}
