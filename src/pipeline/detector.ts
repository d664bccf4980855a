import { brokenEnd, decodeBody, parseSpan } from '../decode/decode-body.js';
import { recordSpans, type RecordSpan, type RecordSpans } from '../decode/record-spans.js';
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
    const byRecord = this.recordByRecord(input);
    if (byRecord !== undefined) {
      this.processSpans(byRecord.prefilter, byRecord.bytes, byRecord.found, where, result);
      return result;
    }
    const decoded = decodeBody(input.body);
    for (const message of decoded.problems) addProblem(report, { where, message });
    decoded.records.forEach((record, index) => {
      // The place is spelled out only for a problem: most records have none.
      const at: RecordPlace = { where, index: decoded.elements?.[index] ?? index };
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

  /**
   * An export envelope's records, when it is read record by record: the prefilter then decides
   * each record, and only those that may match are parsed (a body of a thousand records with one
   * CronJob write parses one). A file's line may hold other shapes, which the prefilter cannot
   * decide: it is read so only when it holds none of their markers.
   */
  private recordByRecord({
    body,
    anyShape,
  }: InputBody): { prefilter: Prefilter; bytes: Uint8Array; found: RecordSpans } | undefined {
    const prefilter = this.prefilter;
    // A prefilter that lets everything through (a rule it cannot decide) would parse every record alone.
    if (prefilter?.enabled !== true || !(body instanceof Uint8Array)) return undefined;
    if (anyShape === true && mayHoldOtherShape(body)) return undefined;
    const found = recordSpans(body);
    return found === undefined ? undefined : { prefilter, bytes: body, found };
  }

  /**
   * The records of an envelope the prefilter may let through, each parsed alone; the others are
   * counted, unparsed. Records are decided a group at a time first: a record costs the prefilter
   * a call of its own only in a group that may match.
   */
  private processSpans(
    prefilter: Prefilter,
    bytes: Uint8Array,
    found: RecordSpans,
    where: string,
    result: BodyResult,
  ): void {
    const { spans } = found;
    const slice = (first: RecordSpan, last: RecordSpan): Uint8Array => bytes.subarray(first[0], last[1]);
    for (let group = 0; group < spans.length; group += SPAN_GROUP) {
      const end = Math.min(spans.length, group + SPAN_GROUP);
      // One group is the whole body, which the prefilter has let through already.
      const groupMay =
        spans.length <= SPAN_GROUP ||
        prefilter.mayMatchBody(slice(spans[group] as RecordSpan, spans[end - 1] as RecordSpan));
      for (let index = group; index < end; index++) {
        const span = spans[index] as RecordSpan;
        if (!groupMay || !prefilter.mayMatchBody(slice(span, span))) {
          this.current.records++;
          this.current.prefilterUnparsedRecords++;
          continue;
        }
        const at: RecordPlace = { where, index };
        const read = parseSpan(bytes, span);
        if (!read.ok) {
          addProblem(this.current, { where: describePlace(at), message: read.message });
          continue;
        }
        const opened = this.openRecord(read.record, at);
        if (opened !== undefined) this.matchRecord(opened, at, result);
      }
    }
    const broken = brokenEnd(found);
    if (broken !== undefined) addProblem(this.current, { where, message: broken });
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

/** Records decided together before one by one: a group holds about 50 KB of Activity Log records. */
const SPAN_GROUP = 32;

interface RecordPlace {
  readonly where: string;
  readonly index: number;
}

function describePlace(at: RecordPlace): string {
  return `${at.where}, record ${at.index}`;
}
