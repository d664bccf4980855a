import { decodeBody } from '../decode/decode-body.js';
import { describeOrigin, type BodyOrigin } from '../decode/origin.js';
import { buildFinding } from '../findings/build-finding.js';
import type { FindingPolicy } from '../findings/finding-policy.js';
import type { FindingRow } from '../findings/finding-row.js';
import type { Prefilter } from '../prefilter/prefilter.js';
import type { ActiveRule } from '../rules/active-rule.js';
import type { RuleSet } from '../rules/rule-set.js';
import { recogniseRecord } from '../sources/recognise.js';
import type { ShapeContext } from '../sources/shape.js';
import { mayHoldOtherShape } from '../sources/shapes.js';
import type { SourceRecord } from '../sources/source-record.js';
import type { Clock } from '../util/clock.js';
import { countBy } from '../util/count-by.js';
import { errorText } from '../util/error-text.js';
import { addProblem, emptyReport, type BatchReport } from './batch-report.js';

export interface DetectorDeps {
  readonly ruleSet: RuleSet;
  readonly clock: Clock;
  readonly detectorVersion: string;
  /** Skip bodies and embedded event texts the rules' literals rule out, unparsed (default true). */
  readonly prefilter?: boolean;
  /** Redaction and column caps (default: redaction on, 32 KiB columns). */
  readonly findingPolicy?: FindingPolicy;
  /** What converters of other shapes need (the cluster of a raw apiserver audit file). */
  readonly shapeContext?: ShapeContext;
}

export interface SuppressedFinding {
  readonly exceptionId: string;
  readonly reason: string;
  readonly finding: FindingRow;
}

export interface BodyResult {
  readonly findings: FindingRow[];
  readonly suppressed: SuppressedFinding[];
}

export interface InputBody {
  readonly body: unknown;
  readonly origin: BodyOrigin;
  /**
   * Set on bytes read from a file, which may hold records of any shape: the raw-text prefilter
   * may skip them only when they hold no other shape's marker. Unset on Event Hub and Capture
   * bodies, the export by construction (Azure writes them). Text is always checked.
   */
  readonly anyShape?: boolean;
}

/**
 * decode → recognise → match → finding, one body at a time. Every failure is counted against the
 * body or record it belongs to; nothing a record contains can stop the ones after it.
 */
export class Detector {
  private readonly current: BatchReport = emptyReport();
  private readonly prefilter: Prefilter | undefined;

  constructor(private readonly deps: DetectorDeps) {
    this.prefilter = deps.prefilter === false ? undefined : deps.ruleSet.prefilter;
  }

  processBody(input: InputBody): BodyResult {
    const report = this.current;
    report.bodies++;
    const result: BodyResult = { findings: [], suppressed: [] };
    if (this.ruledOut(input)) {
      report.prefilterSkippedBodies++;
      return result;
    }
    const where = describeOrigin(input.origin);
    const decoded = decodeBody(input.body);
    for (const message of decoded.problems) addProblem(report, { where, message });
    decoded.records.forEach((record, index) => {
      // The place is spelled out only for a problem: most records have none.
      const at: RecordPlace = { where, index };
      const opened = this.openRecord(record, at);
      if (opened !== undefined) this.matchRecord(opened, at, result);
    });
    return result;
  }

  report(): BatchReport {
    return structuredClone(this.current);
  }

  private ruledOut({ body, anyShape }: InputBody): boolean {
    return (
      this.prefilter !== undefined &&
      (typeof body === 'string' || body instanceof Uint8Array) &&
      !this.prefilter.mayMatchBody(body) &&
      ((typeof body !== 'string' && anyShape !== true) || !mayHoldOtherShape(body))
    );
  }

  /** Recognises and opens one record, counting it under its source; undefined when nothing is left to match. */
  private openRecord(record: Record<string, unknown>, at: RecordPlace): SourceRecord | undefined {
    const report = this.current;
    report.records++;
    const found = recogniseRecord(record);
    if (found === undefined) {
      report.bySource.unknown++;
      return undefined;
    }
    report.bySource[found.source.id]++;
    const opened = found.shape.open(
      record,
      this.prefilter?.embeddedGate(found.source.id),
      this.deps.shapeContext,
    );
    if (opened.kind === 'ruled-out') report.prefilterSkippedRecords++;
    if (opened.kind === 'unreadable')
      addProblem(report, { where: describePlace(at), message: opened.reason });
    return opened.kind === 'record' ? opened.record : undefined;
  }

  private matchRecord(record: SourceRecord, at: RecordPlace, result: BodyResult): void {
    for (const rule of this.deps.ruleSet.bySource.get(record.source) ?? []) {
      try {
        if (rule.compiled.test(record.document)) this.recordMatch(rule, record, result);
      } catch (error) {
        // A defect in one rule must not cost the record's other rules or the rest of the batch.
        addProblem(this.current, {
          where: describePlace(at),
          message: `rule ${rule.metadata.ruleId} failed: ${errorText(error)}`,
        });
      }
    }
    // Bounds the record exceeded while it was read: reported, never dropped silently.
    for (const message of record.problems()) addProblem(this.current, { where: describePlace(at), message });
  }

  /** Builds the finding of a match, then keeps it or counts it as suppressed by an exception. */
  private recordMatch(rule: ActiveRule, record: SourceRecord, result: BodyResult): void {
    const report = this.current;
    const now = this.deps.clock.now();
    const context = record.context();
    const finding = buildFinding(rule, record, context, {
      detectedAt: now.toISOString(),
      detectorVersion: this.deps.detectorVersion,
      ...(this.deps.findingPolicy === undefined ? {} : { policy: this.deps.findingPolicy }),
    });
    const subject = { finding, principals: context.principals, workload: record.workload() };
    const exception = this.deps.ruleSet.exceptions.find((e) => e.matches(subject, now));
    if (exception !== undefined) {
      result.suppressed.push({ exceptionId: exception.id, reason: exception.reason, finding });
      report.suppressed++;
      countBy(report.suppressedByException, exception.id);
      return;
    }
    result.findings.push(finding);
    report.findings++;
    countBy(report.findingsByRule, rule.metadata.ruleId);
  }
}

interface RecordPlace {
  readonly where: string;
  readonly index: number;
}

function describePlace(at: RecordPlace): string {
  return `${at.where}, record ${at.index}`;
}
