import type { EmitOutcome } from '../emit/emit-findings.js';
import type { EnrichmentOutcome } from '../enrich/enricher.js';
import type { FindingPolicy } from '../findings/finding-policy.js';
import type { RuleSet } from '../rules/rule-set.js';
import type { InputProblem } from './batch-report.js';
import { deliverFindings } from './deliver.js';
import { Detector } from './detector.js';
import type { Runtime } from './runtime.js';

export interface InvocationDeps extends Runtime {
  readonly ruleSet: RuleSet;
  readonly detectorVersion: string;
  /** Redaction and column caps (default: redaction on, 32 KiB columns). */
  readonly findingPolicy?: FindingPolicy;
}

/** What the host tells about the batch: ids for messages, and per-event metadata aligned with the bodies. */
export interface InvocationMeta {
  readonly invocationId: string;
  readonly functionName: string;
  readonly partitionId?: string;
  readonly sequenceNumbers?: readonly number[];
}

export interface InvocationSummary {
  readonly invocationId: string;
  readonly functionName: string;
  readonly partition: string | null;
  readonly events: number;
  readonly records: number;
  readonly bySource: Record<string, number>;
  readonly findings: number;
  readonly findingsByRule: Record<string, number>;
  readonly suppressed: number;
  readonly suppressedByException: Record<string, number>;
  readonly unreadable: number;
  /** The first problems, with where they were; `unreadable` counts them all. */
  readonly problems: readonly InputProblem[];
  readonly enrichment: EnrichmentOutcome | 'disabled';
  readonly upload: EmitOutcome;
  readonly durationMs: number;
  /** Bodies the prefilter showed could not match, skipped unparsed: a body that vanished is counted here. */
  readonly prefilterSkippedBodies: number;
  /** Records whose embedded event the prefilter ruled out unparsed. */
  readonly prefilterSkippedRecords: number;
  /** Records of a body read record by record that the prefilter ruled out, left unparsed (counted in `records`). */
  readonly prefilterUnparsedRecords: number;
  /** Rule files that did not compile at start-up; the function runs with the rest. */
  readonly rulesNotLoaded: number;
}

const PROBLEMS_LOGGED = 20;

/**
 * One Event Hub batch end to end: detect (decode → recognise → match), then deliver (enrich → emit). Returns the summary
 * to log; throws only when findings could be neither uploaded nor dead-lettered.
 */
export async function processInvocation(
  messages: unknown,
  meta: InvocationMeta,
  deps: InvocationDeps,
): Promise<InvocationSummary> {
  const started = deps.clock.now().getTime();
  const bodies = Array.isArray(messages) ? messages : [messages];
  const detector = new Detector({
    ruleSet: deps.ruleSet,
    clock: deps.clock,
    detectorVersion: deps.detectorVersion,
    ...(deps.findingPolicy === undefined ? {} : { findingPolicy: deps.findingPolicy }),
  });
  const findings = bodies.flatMap((body, event) => {
    const sequenceNumber = meta.sequenceNumbers?.[event];
    return detector.processBody({
      body,
      origin: {
        event,
        ...(meta.partitionId === undefined ? {} : { partition: meta.partitionId }),
        ...(sequenceNumber === undefined ? {} : { sequenceNumber }),
      },
    }).findings;
  });
  const report = detector.report();

  const { enrichment, upload } = await deliverFindings(findings, deps, {
    invocationId: meta.invocationId,
    functionName: meta.functionName,
    partition: meta.partitionId ?? null,
  });

  return {
    invocationId: meta.invocationId,
    functionName: meta.functionName,
    partition: meta.partitionId ?? null,
    events: bodies.length,
    records: report.records,
    bySource: report.bySource,
    findings: report.findings,
    findingsByRule: report.findingsByRule,
    suppressed: report.suppressed,
    suppressedByException: report.suppressedByException,
    unreadable: report.unreadable,
    problems: report.problems.slice(0, PROBLEMS_LOGGED),
    enrichment,
    upload,
    prefilterSkippedBodies: report.prefilterSkippedBodies,
    prefilterSkippedRecords: report.prefilterSkippedRecords,
    prefilterUnparsedRecords: report.prefilterUnparsedRecords,
    durationMs: deps.clock.now().getTime() - started,
    rulesNotLoaded: deps.ruleSet.notLoaded.length,
  };
}
