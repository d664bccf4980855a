import type { ActiveRule } from '../rules/rule-set.js';
import type { SourceRecord } from '../sources/source-record.js';
import { scalarText } from '../sigma/event-document.js';
import { findingId } from './finding-id.js';
import type { FindingRow } from './finding-row.js';
import { boundRawRecord } from './raw-record.js';
import { FINDING_SCHEMA } from './schema.js';

export interface FindingOptions {
  readonly detectedAt: string;
  readonly detectorVersion: string;
}

/** Builds the row for one rule match. Enrichment starts as "not requested"; the enrich stage replaces it. */
export function buildFinding(rule: ActiveRule, record: SourceRecord, options: FindingOptions): FindingRow {
  const context = record.context();
  const raw = boundRawRecord(record.raw, FINDING_SCHEMA.rawRecordMaxBytes);
  const cluster = context.cluster;
  return {
    TimeGenerated: normaliseTime(context.time) ?? options.detectedAt,
    DetectedAt: options.detectedAt,
    FindingId: findingId(rule.metadata.ruleId, record.source, context.operationKey),
    RuleId: rule.metadata.ruleId,
    RuleTitle: rule.metadata.title,
    Severity: rule.metadata.level,
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
    Indicators: indicators(rule, record),
    Enrichment: { status: 'not-requested' },
    RawRecord: raw.value,
    RawRecordTruncated: raw.truncated,
    DetectorVersion: options.detectorVersion,
  };
}

/** The selections that held and what the rule's fields contained: enough to see why it fired. */
function indicators(rule: ActiveRule, record: SourceRecord): Record<string, unknown> {
  const fields: [string, unknown][] = [];
  for (const path of rule.compiled.fields) {
    const values = record.document.get(path).values.map((v) => scalarText(v) ?? v);
    if (values.length > 0) fields.push([path.name, values.length === 1 ? values[0] : values]);
  }
  // fromEntries defines own properties, so a field named `__proto__` stays data.
  return { selections: rule.compiled.matchedSelections(record.document), fields: Object.fromEntries(fields) };
}

/** Accepts ISO-8601 times as the sources write them; anything unparseable falls back to DetectedAt. */
function normaliseTime(time: string | undefined): string | undefined {
  if (time === undefined) return undefined;
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? undefined : time;
}
