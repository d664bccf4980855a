import { decodeBody } from '../decode/decode-body.js';
import { describeOrigin, type BodyOrigin } from '../decode/origin.js';
import { buildFinding } from '../findings/build-finding.js';
import type { FindingRow } from '../findings/finding-row.js';
import type { RuleSet } from '../rules/rule-set.js';
import { openRecord } from '../sources/open-record.js';
import { addProblem, emptyReport, type BatchReport } from './batch-report.js';
import type { Clock } from './clock.js';

export interface DetectorDeps {
  readonly ruleSet: RuleSet;
  readonly clock: Clock;
  readonly detectorVersion: string;
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

  processBody(input: InputBody): FindingRow[] {
    const report = this.current;
    report.bodies++;
    const where = describeOrigin(input.origin);
    const decoded = decodeBody(input.body);
    for (const message of decoded.problems) addProblem(report, { where, message });
    const findings: FindingRow[] = [];
    decoded.records.forEach((record, index) => {
      report.records++;
      const opened = openRecord(record);
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
          const finding = buildFinding(rule, opened.record, { detectedAt: this.deps.clock.now().toISOString(), detectorVersion: this.deps.detectorVersion });
          findings.push(finding);
          report.findings++;
          report.findingsByRule[rule.metadata.ruleId] = (report.findingsByRule[rule.metadata.ruleId] ?? 0) + 1;
        } catch (error) {
          // A defect in one rule must not cost the record's other rules or the rest of the batch.
          addProblem(report, { where: `${where}, record ${index}`, message: `rule ${rule.metadata.ruleId} failed: ${error instanceof Error ? error.message : String(error)}` });
        }
      }
    });
    return findings;
  }

  report(): BatchReport {
    return structuredClone(this.current);
  }
}

export function processBatch(inputs: Iterable<InputBody>, deps: DetectorDeps): { findings: FindingRow[]; report: BatchReport } {
  const detector = new Detector(deps);
  const findings: FindingRow[] = [];
  for (const input of inputs) findings.push(...detector.processBody(input));
  return { findings, report: detector.report() };
}
