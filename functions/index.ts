import { app, trigger, type EventHubFunctionOptions } from '@azure/functions';
import { createRuntime } from '../src/azure/create-runtime.js';
import { createEventHubHandler } from '../src/azure/event-hub-handler.js';
import { EVENT_HUB_CONNECTION, readSettings } from '../src/config/settings.js';
import { packageInfo } from '../src/package-info.js';
import { loadRuleSet } from '../src/rules/load-rules.js';
import { formatDiagnostic, isError } from '../src/sigma/diagnostics.js';

// Settings and rules are checked once, when the worker loads: a bad setting stops the app with a
// message naming it. A rule file that does not compile is logged as an error and the function
// runs with the others (each invocation summary counts it); with no rule at all it stops.
const settings = readSettings(process.env);
const info = packageInfo();
const { ruleSet, files } = await loadRuleSet([info.bundledRulesDir]);
for (const file of files.filter((f) => f.status === 'error'))
  console.error(
    `rule file ${file.file} not loaded: ${file.diagnostics.filter(isError).map(formatDiagnostic).join('; ')}`,
  );
if (ruleSet.active.length === 0) throw new Error(`no rule in ${info.bundledRulesDir} could be loaded`);

export const handler = createEventHubHandler({
  ...createRuntime(settings),
  ruleSet,
  detectorVersion: info.version,
  findingPolicy: settings.findings,
});

/**
 * `dataType: 'binary'` makes the host hand over each event's bytes untouched: one non-JSON event
 * cannot fail the whole batch, and the prefilter can skip irrelevant bodies before any parsing.
 * (Some host versions deliver binary batches as strings, or the worker parses them; the handler
 * takes any shape.) The typed options lack `dataType`, hence the generic trigger.
 */
export function eventHubOptions(hubName: string): EventHubFunctionOptions {
  const options = {
    connection: EVENT_HUB_CONNECTION,
    eventHubName: hubName,
    cardinality: 'many' as const,
    consumerGroup: settings.consumerGroup,
  };
  return {
    ...options,
    handler,
    trigger: { ...trigger.generic({ type: 'eventHubTrigger', ...options, dataType: 'binary' }), ...options },
    // With a retry policy the checkpoint waits until the retries finish, so a failed dead-letter
    // write holds the batch instead of losing it.
    retry: {
      strategy: 'exponentialBackoff',
      maxRetryCount: 8,
      minimumInterval: { seconds: 10 },
      maximumInterval: { minutes: 15 },
    },
  };
}

app.eventHub('activityLog', eventHubOptions('%ACTIVITY_LOG_HUB_NAME%'));
if (settings.auditHubName !== undefined) app.eventHub('kubeAudit', eventHubOptions('%AKS_AUDIT_HUB_NAME%'));
