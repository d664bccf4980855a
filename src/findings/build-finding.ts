import type { ActiveRule } from '../rules/active-rule.js';
import type { RecordContext, SourceRecord } from '../sources/source-record.js';
import { findingId } from './finding-id.js';
import type { FindingRow } from './finding-row.js';
import { boundRawRecord } from './raw-record.js';
import { FINDING_SCHEMA } from './schema.js';
import { scoreSeverity } from './severity.js';

export interface FindingOptions {
  readonly detectedAt: string;
  readonly detectorVersion: string;
}

/** Builds the row for one rule match. Enrichment starts as "not requested"; the enrich stage replaces it. */
export function buildFinding(
  rule: ActiveRule,
  record: SourceRecord,
  context: RecordContext,
  options: FindingOptions,
): FindingRow {
  const raw = boundRawRecord(record.raw, FINDING_SCHEMA.rawRecordMaxBytes);
  const cluster = context.cluster;
  const facts = record.workload();
  const score = scoreSeverity(rule.metadata.level, facts, context.namespace);
  return {
    TimeGenerated: normaliseTime(context.time) ?? options.detectedAt,
    DetectedAt: options.detectedAt,
    FindingId: findingId(rule.metadata.ruleId, record.source, context.operationKey),
    RuleId: rule.metadata.ruleId,
    RuleTitle: rule.metadata.title,
    Severity: score.severity,
    Tactics: rule.metadata.tactics,
    Techniques: rule.metadata.techniques,
    Source: record.source,
    SourceRecordId: context.sourceRecordId ?? null,
    Operation: context.operation ?? null,
    ResultType: context.resultType ?? null,
    ClusterResourceId: cluster?.resourceId ?? null,
    ClusterName: cluster?.name ?? null,
    ClusterKind: cluster?.kind ?? null,
    SubscriptionId: cluster?.subscriptionId ?? null,
    ResourceGroup: cluster?.resourceGroup ?? null,
    Namespace: context.namespace ?? null,
    WorkloadKind: context.workloadKind ?? null,
    WorkloadName: context.workloadName ?? null,
    Caller: context.caller ?? null,
    CallerObjectId: context.callerObjectId ?? null,
    CallerIpAddress: context.callerIpAddress ?? null,
    Indicators: indicators(rule, record, score.reasons),
    Enrichment: { status: 'not-requested' },
    RawRecord: raw.value,
    RawRecordTruncated: raw.truncated,
    DetectorVersion: options.detectorVersion,
  };
}

/** Why it fired: the selections that held with their field values, and the workload it would run. */
function indicators(
  rule: ActiveRule,
  record: SourceRecord,
  severityReasons: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = { matched: rule.compiled.explain(record.document) };
  const facts = record.workload();
  if (facts !== undefined) {
    out['requestBody'] = facts.body;
    if (facts.error !== undefined) out['requestBodyError'] = facts.error;
    if (facts.body === 'present') {
      const { body: _body, ...workload } = facts;
      out['workload'] = workload;
    }
  }
  if (severityReasons.length > 0) out['severityRaisedBy'] = severityReasons;
  return out;
}

/** Accepts ISO-8601 times as the sources write them; anything unparseable falls back to DetectedAt. */
function normaliseTime(time: string | undefined): string | undefined {
  if (time === undefined) return undefined;
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? undefined : time;
}
