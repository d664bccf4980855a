import { emitFindings, type EmitOutcome } from '../emit/emit-findings.js';
import type { DeadLetterStore, FindingSink } from '../emit/finding-sink.js';
import type { Enricher, EnrichmentOutcome } from '../enrich/enricher.js';
import type { RuleSet } from '../rules/rule-set.js';
import type { InputProblem } from './batch-report.js';
import type { Clock } from './clock.js';
import { Detector } from './detector.js';

export interface InvocationDeps {
  readonly ruleSet: RuleSet;
  readonly clock: Clock;
  readonly detectorVersion: string;
  /** Absent when enrichment is switched off. */
  readonly enricher: Enricher | undefined;
  readonly sink: FindingSink;
  readonly deadLetter: DeadLetterStore;
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
  /** Rule files that did not compile at start-up; the function runs with the rest. */
  readonly rulesNotLoaded: number;
}

const PROBLEMS_LOGGED = 20;

/**
 * One Event Hub batch end to end: decode → classify → match → enrich → emit. Returns the summary
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

  let enrichment: InvocationSummary['enrichment'] = 'disabled';
  let rows = findings;
  if (deps.enricher !== undefined && findings.length > 0) {
    const enriched = await deps.enricher.enrich(findings);
    rows = enriched.findings;
    enrichment = enriched.outcome;
  }
  const upload = await emitFindings(
    rows,
    deps.sink,
    deps.deadLetter,
    { invocationId: meta.invocationId, functionName: meta.functionName, partition: meta.partitionId ?? null },
    () => deps.clock.now(),
  );

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
    durationMs: deps.clock.now().getTime() - started,
    rulesNotLoaded: deps.ruleSet.notLoaded.length,
  };
}
