import type * as Functions from '@azure/functions';
import { createRequire } from 'node:module';
import { createEventHubHandler } from '../src/azure/event-hub-handler.js';
import { packageInfo } from '../src/package-info.js';
import { loadRuleSet } from '../src/rules/load-rules.js';
import { generateSizedBody, mulberry32 } from './generate.js';

/**
 * The function handler itself, as the Functions host calls it: `@azure/functions`' test mode (an
 * `InvocationContext` built by hand), a batch of 100 events of 1 MB as Buffers (`dataType:
 * 'binary'`), the prefilter on, no enrichment or upload. Prints CPU ms per MB for Activity Log and
 * kube-audit batches, and the peak RSS, as one JSON line.
 */
// The library is CommonJS, and Node's ESM loader does not detect this export of it.
const { InvocationContext } = createRequire(import.meta.url)('@azure/functions') as typeof Functions;

const EVENTS = 100;
const EVENT_BYTES = 1024 * 1024;
const BATCHES = Number(process.env['BENCH_HANDLER_BATCHES'] ?? 2);

const info = packageInfo();
const { ruleSet } = await loadRuleSet([info.bundledRulesDir]);
const handler = createEventHubHandler({
  clock: { now: () => new Date() },
  enricher: undefined,
  sink: undefined,
  deadLetter: undefined,
  ruleSet,
  detectorVersion: info.version,
});
const random = mulberry32(16);
let peak = process.memoryUsage().rss;
const summaries: string[] = [];

function context(): Functions.InvocationContext {
  return new InvocationContext({
    invocationId: '6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f',
    functionName: 'bench',
    logHandler: (_level, ...args) => summaries.push(args.map(String).join(' ')),
    triggerMetadata: {
      partitionContext: { partitionId: '0' },
      sequenceNumberArray: Array.from({ length: EVENTS }, (_, i) => i),
    },
  });
}

async function cpuMsPerMB(kind: 'activity' | 'audit'): Promise<number> {
  let cpuMicros = 0;
  let bytes = 0;
  // One warm-up batch, so the measured ones run JIT-compiled code.
  for (let batch = -1; batch < BATCHES; batch++) {
    const bodies = Array.from({ length: EVENTS }, () => generateSizedBody(random, kind, EVENT_BYTES, 0.0005));
    peak = Math.max(peak, process.memoryUsage().rss);
    const before = process.cpuUsage();
    await handler(bodies, context());
    const used = process.cpuUsage(before);
    peak = Math.max(peak, process.memoryUsage().rss);
    if (batch < 0) continue;
    cpuMicros += used.user + used.system;
    bytes += bodies.reduce((n, b) => n + b.length, 0);
  }
  return cpuMicros / 1000 / (bytes / 1024 / 1024);
}

const activity = await cpuMsPerMB('activity');
const audit = await cpuMsPerMB('audit');
process.stdout.write(
  `${JSON.stringify({
    events: EVENTS,
    eventMB: EVENT_BYTES / 1024 / 1024,
    batches: BATCHES,
    activityCpuMsPerMB: Number(activity.toFixed(3)),
    auditCpuMsPerMB: Number(audit.toFixed(3)),
    peakRssMB: Math.round(peak / 1048576),
    summaries: summaries.length,
  })}\n`,
);
