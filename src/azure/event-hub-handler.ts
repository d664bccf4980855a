import type { InvocationContext } from '@azure/functions';
import { DeadLetterFailedError } from '../emit/emit-findings.js';
import { isRecord } from '../util/is-record.js';
import { processInvocation, type InvocationDeps, type InvocationMeta } from '../pipeline/invocation.js';

/** The prefix of the one log line each invocation writes; the workbook parses what follows as JSON. */
export const SUMMARY_PREFIX = 'kube-job-detector summary ';

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
          `${summary.upload.deadLettered} finding(s) dead-lettered: ${summary.upload.errors.join('; ')}`,
        );
      for (const problem of summary.problems)
        context.warn(`unreadable input at ${problem.where}: ${problem.message}`);
    } catch (error) {
      if (error instanceof DeadLetterFailedError)
        context.error(`${error.message}; failing the invocation so the retry policy keeps the checkpoint`);
      throw error;
    }
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
