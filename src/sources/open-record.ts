import { activityRecord } from './activity-log/activity-record.js';
import { classifyRecord } from './classify.js';
import { auditEventOf } from './kube-audit/audit-event.js';
import { auditRecord } from './kube-audit/audit-record.js';
import type { SourceKind } from './source-kind.js';
import type { SourceRecord } from './source-record.js';

export type OpenedRecord =
  | { readonly kind: 'record'; readonly record: SourceRecord }
  | { readonly kind: 'unknown'; readonly reason: string }
  | { readonly kind: 'unreadable'; readonly reason: string }
  | { readonly kind: 'ruled-out'; readonly source: SourceKind };

/**
 * Classifies a decoded record and wraps it in its source's document. `auditLogMayMatch`, when
 * given, lets a kube-audit record whose audit text cannot match stay unparsed.
 */
export function openRecord(
  record: Record<string, unknown>,
  auditLogMayMatch?: (log: string) => boolean,
): OpenedRecord {
  const classification = classifyRecord(record);
  switch (classification.source) {
    case 'unknown':
      return { kind: 'unknown', reason: classification.reason };
    case 'AzureActivity':
      return { kind: 'record', record: activityRecord(record) };
    case 'KubeAudit': {
      const properties = record['properties'];
      const log =
        typeof properties === 'object' && properties !== null
          ? (properties as Record<string, unknown>)['log']
          : undefined;
      if (auditLogMayMatch !== undefined && typeof log === 'string' && !auditLogMayMatch(log))
        return { kind: 'ruled-out', source: 'KubeAudit' };
      const event = auditEventOf(record);
      return event.ok
        ? { kind: 'record', record: auditRecord(record, event.event) }
        : { kind: 'unreadable', reason: event.reason };
    }
  }
}
