import { decodeBody } from '../decode/decode-body.js';
import { describeOrigin, type BodyOrigin } from '../decode/origin.js';
import { buildFinding } from '../findings/build-finding.js';
import type { FindingRow } from '../findings/finding-row.js';
import type { RuleSet } from '../rules/rule-set.js';
import { openRecord } from '../sources/open-record.js';
import type { ShapeContext } from '../sources/shape.js';
import { mayHoldOtherShape } from '../sources/shapes.js';
import { addProblem, emptyReport, type BatchReport } from './batch-report.js';
import type { Clock } from './clock.js';

export interface DetectorDeps {
  readonly ruleSet: RuleSet;
  readonly clock: Clock;
  readonly detectorVersion: string;
  /** Skip bodies and audit logs the rules' literals rule out, unparsed (default true). */
  readonly prefilter?: boolean;
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
}

/**
 * decode → classify → match → finding, one body at a time. Every failure is counted against the
 * body or record it belongs to; nothing a record contains can stop the ones after it.
 */
export class Detector {
  private readonly current: BatchReport = emptyReport();

  constructor(private readonly deps: DetectorDeps) {}

  processBody(input: InputBody): BodyResult {
    const report = this.current;
    report.bodies++;
    const prefilter = this.deps.prefilter === false ? undefined : this.deps.ruleSet.prefilter;
    if (
      prefilter !== undefined &&
      (typeof input.body === 'string' || input.body instanceof Uint8Array) &&
      !prefilter.mayMatchBody(input.body) &&
      (typeof input.body !== 'string' || !mayHoldOtherShape(input.body))
    ) {
      report.prefilterSkippedBodies++;
      return { findings: [], suppressed: [] };
    }
    const auditGate = prefilter === undefined ? undefined : (log: string) => prefilter.mayMatchAuditLog(log);
    const where = describeOrigin(input.origin);
    const decoded = decodeBody(input.body);
    for (const message of decoded.problems) addProblem(report, { where, message });
    const findings: FindingRow[] = [];
    const suppressed: SuppressedFinding[] = [];
    decoded.records.forEach((record, index) => {
      report.records++;
      const opened = openRecord(record, auditGate, this.deps.shapeContext);
      if (opened.kind === 'ruled-out') {
        report.bySource[opened.source]++;
        report.prefilterSkippedAuditLogs++;
        return;
      }
      if (opened.kind === 'unknown') {
        report.bySource.unknown++;
        return;
      }
      if (opened.kind === 'unreadable') {
        report.bySource.KubeAudit++;
        addProblem(report, { where: `${where}, record ${index}`, message: opened.reason });
        return;
      }
      const source = opened.record.source;
      report.bySource[source]++;
      for (const rule of this.deps.ruleSet.bySource.get(source) ?? []) {
        try {
          if (!rule.compiled.test(opened.record.document)) continue;
          const now = this.deps.clock.now();
          const context = opened.record.context();
          const finding = buildFinding(rule, opened.record, context, {
            detectedAt: now.toISOString(),
            detectorVersion: this.deps.detectorVersion,
          });
          const subject = { finding, principals: context.principals, workload: opened.record.workload() };
          const exception = this.deps.ruleSet.exceptions.find((e) => e.matches(subject, now));
          if (exception !== undefined) {
            suppressed.push({ exceptionId: exception.id, reason: exception.reason, finding });
            report.suppressed++;
            report.suppressedByException[exception.id] =
              (report.suppressedByException[exception.id] ?? 0) + 1;
            continue;
          }
          findings.push(finding);
          report.findings++;
          report.findingsByRule[rule.metadata.ruleId] =
            (report.findingsByRule[rule.metadata.ruleId] ?? 0) + 1;
        } catch (error) {
          // A defect in one rule must not cost the record's other rules or the rest of the batch.
          addProblem(report, {
            where: `${where}, record ${index}`,
            message: `rule ${rule.metadata.ruleId} failed: ${error instanceof Error ? error.message : String(error)}`,
          });
        }
      }
      for (const message of opened.record.problems())
        addProblem(report, { where: `${where}, record ${index}`, message });
    });
    return { findings, suppressed };
  }

  report(): BatchReport {
    return structuredClone(this.current);
  }
}

export function processBatch(
  inputs: Iterable<InputBody>,
  deps: DetectorDeps,
): BodyResult & { report: BatchReport } {
  const detector = new Detector(deps);
  const findings: FindingRow[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const input of inputs) {
    const result = detector.processBody(input);
    findings.push(...result.findings);
    suppressed.push(...result.suppressed);
  }
  return { findings, suppressed, report: detector.report() };
}
