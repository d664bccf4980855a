import { redactText } from '../redact/redact-text.js';
import { redactValue } from '../redact/redact-value.js';
import type { ActiveRule } from '../rules/active-rule.js';
import { isRecord } from '../util/is-record.js';
import type { RecordContext, RecordTime, SourceRecord } from '../sources/source-record.js';
import { boundRow } from './bound/bound-row.js';
import { cutStrings } from './bound/bound-value.js';
import { fitsJsonString, jsonBytes, jsonTextBytes } from './bound/json-size.js';
import { locateRuleMatches, type LocateMatch } from './bound/locate-match.js';
import { findingId } from './finding-id.js';
import { DEFAULT_FINDING_POLICY, type FindingPolicy } from './finding-policy.js';
import type { EventTimeSource, FindingRow } from './finding-row.js';
import { FINDING_SCHEMA } from './schema.js';
import { scoreSeverity } from './severity.js';

export interface FindingOptions {
  readonly detectedAt: string;
  readonly detectorVersion: string;
  readonly policy?: FindingPolicy;
}

/**
 * Strings longer than this many column caps are cut around the match before anything else copies
 * them (redaction, serialisation): matching saw the whole text, and nothing after it needs to.
 */
const PRECUT_COLUMNS = 4;

/**
 * Builds the row for one rule match: secrets redacted, every column within its cap with the text
 * that made the rule fire kept. Enrichment starts as "not requested"; the enrich stage replaces it.
 */
export function buildFinding(
  rule: ActiveRule,
  record: SourceRecord,
  context: RecordContext,
  options: FindingOptions,
): FindingRow {
  const policy = options.policy ?? DEFAULT_FINDING_POLICY;
  const matched = rule.compiled.explain(record.document);
  const locate = locateRuleMatches(rule.compiled.rule, Object.keys(matched));
  const shape = (value: unknown): unknown =>
    redactValue(cutStrings(value, PRECUT_COLUMNS * policy.columnMaxBytes, locate), policy.redaction);
  const text = (value: string | undefined): string | null =>
    value === undefined ? null : redactText(value, policy.redaction);
  const cluster = context.cluster;
  const facts = record.workload();
  const score = scoreSeverity(rule.metadata.level, facts, context.namespace);
  const eventTime = firstValidTime(context.times) ?? {
    source: 'DetectedAt' as const,
    value: options.detectedAt,
  };
  const found = indicators(matched, record, score.reasons);
  // The size of what a column was cut from, measured only for a column cut (most findings cut
  // none): `found` and `record.raw` are never changed, the cuts are made on copies.
  const originalBytes = (column: string): number | undefined =>
    column === 'Indicators'
      ? sizeOf(() => jsonBytes(found))
      : column === 'RawRecord'
        ? sizeOf(() => jsonTextBytes(record.raw))
        : undefined;
  const row: FindingRow = {
    TimeGenerated: eventTime.value,
    DetectedAt: options.detectedAt,
    EventTime: eventTime.value,
    EventTimeSource: eventTime.source,
    FindingId: findingId(rule.metadata.ruleId, record.source, context.operationKey),
    RuleId: rule.metadata.ruleId,
    RuleTitle: rule.metadata.title,
    Severity: score.severity,
    Tactics: rule.metadata.tactics,
    Techniques: rule.metadata.techniques,
    Source: record.source,
    SourceRecordId: text(context.sourceRecordId),
    Operation: text(context.operation),
    ResultType: text(context.resultType),
    ClusterResourceId: cluster?.resourceId ?? null,
    ClusterName: cluster?.name ?? context.clusterName ?? null,
    ClusterKind: cluster?.kind ?? null,
    SubscriptionId: cluster?.subscriptionId ?? null,
    ResourceGroup: cluster?.resourceGroup ?? null,
    Namespace: text(context.namespace),
    WorkloadKind: text(context.workloadKind),
    WorkloadName: text(context.workloadName),
    Caller: text(context.caller),
    CallerObjectId: text(context.callerObjectId),
    CallerIpAddress: text(context.callerIpAddress),
    Indicators: shape(found) as Record<string, unknown>,
    Enrichment: { status: 'not-requested' },
    RawRecord: rawRecordText(record, policy, locate),
    RawRecordTruncated: false,
    Truncated: {},
    DetectorVersion: options.detectorVersion,
  };
  return boundRow(
    row,
    { columnMaxBytes: policy.columnMaxBytes, rowMaxBytes: FINDING_SCHEMA.rowMaxBytes },
    locate,
    originalBytes,
  );
}

/** Why it fired: the selections that held with their field values, and the workload it would run. */
function indicators(
  matched: Record<string, unknown>,
  record: SourceRecord,
  severityReasons: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = { matched };
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

/**
 * The record's JSON text, its long strings cut around the match until it fits the column, so it
 * stays JSON. An audit record keeps `properties.log` as the text the API server wrote; with
 * redaction on it is written again from the redacted Event, since secrets such as container
 * environment values can only be found in the parsed Event.
 */
function rawRecordText(record: SourceRecord, policy: FindingPolicy, locate: LocateMatch): string {
  const cap = policy.columnMaxBytes;
  let text = '';
  for (
    let allowance = PRECUT_COLUMNS * cap;
    allowance >= MIN_STRING_ALLOWANCE;
    allowance = Math.floor(allowance / 2)
  ) {
    const shape = (value: unknown, bytes: number): unknown =>
      redactValue(cutStrings(value, bytes, locate), policy.redaction);
    const event = record.embeddedEvent;
    if (policy.redaction === 'off' || event === undefined) {
      text = JSON.stringify(shape(record.raw, allowance));
    } else {
      const properties = propertiesOf(record.raw['properties']);
      const log = `${JSON.stringify(shape(event, allowance))}\n`;
      text = JSON.stringify(shape({ ...record.raw, properties: { ...properties, log } }, cap));
    }
    if (fitsJsonString(text, cap)) return text;
  }
  return text;
}

/** Below this, the record's strings are not cut further: its text is cut as a whole instead. */
const MIN_STRING_ALLOWANCE = 256;

/** Some forwarders serialise `properties` to a string; its other keys (stream, pod) are kept either way. */
function propertiesOf(properties: unknown): Record<string, unknown> {
  if (isRecord(properties)) return properties;
  if (typeof properties !== 'string') return {};
  try {
    const parsed: unknown = JSON.parse(properties);
    return isRecord(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

/** A value nested too deep to walk has no size to report; the cut column still says it was cut. */
function sizeOf(measure: () => number): number | undefined {
  try {
    return measure();
  } catch {
    return undefined;
  }
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

/** The first time that reads as an instant: ISO-8601 as the sources write it is kept as written. */
function firstValidTime(
  times: readonly RecordTime[],
): { source: EventTimeSource; value: string } | undefined {
  for (const time of times) {
    if (ISO_8601.test(time.value) && !Number.isNaN(Date.parse(time.value)))
      return { source: time.clock, value: time.value };
  }
  return undefined;
}
