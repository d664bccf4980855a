import { packageInfo } from '../src/package-info.js';
import { Detector } from '../src/pipeline/detector.js';
import { loadRuleSet } from '../src/rules/load-rules.js';
import { generateSizedBody, mulberry32 } from './generate.js';

/**
 * Peak resident memory while the detector processes 1000 Event Hub bodies of about 1 MB each.
 * Bodies are made one at a time, as a consumer receives them, so the figure is the detector's own.
 */
const { ruleSet } = await loadRuleSet([packageInfo().bundledRulesDir]);
const detector = new Detector({ ruleSet, clock: { now: () => new Date() }, detectorVersion: 'bench' });
const random = mulberry32(7);
(globalThis as { gc?: () => void }).gc?.();
const baseline = process.memoryUsage().rss;
let peak = baseline;
let findings = 0;
for (let event = 0; event < 1000; event++) {
  // 1 MB of Activity Log or kube-audit records, one in a hundred suspicious.
  const body = generateSizedBody(random, event % 2 === 0 ? 'activity' : 'audit', 1024 * 1024, 0.01);
  findings += detector.processBody({ body, origin: { event } }).findings.length;
  peak = Math.max(peak, process.memoryUsage().rss);
}
process.stdout.write(
  `${JSON.stringify({ peakRssMB: peak / 1048576, baselineRssMB: baseline / 1048576, findings })}\n`,
);
