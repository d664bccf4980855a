import { activityRecord } from './activity-log/activity-record.js';
import { classifyRecord } from './classify.js';
import { auditEventOf } from './kube-audit/audit-event.js';
import { auditRecord } from './kube-audit/audit-record.js';
import type { SourceRecord } from './source-record.js';

export type OpenedRecord =
  | { readonly kind: 'record'; readonly record: SourceRecord }
  | { readonly kind: 'unknown'; readonly reason: string }
  | { readonly kind: 'unreadable'; readonly reason: string };

/** Classifies a decoded record and wraps it in its source's document. */
export function openRecord(record: Record<string, unknown>): OpenedRecord {
  const classification = classifyRecord(record);
  switch (classification.source) {
    case 'unknown':
      return { kind: 'unknown', reason: classification.reason };
    case 'AzureActivity':
      return { kind: 'record', record: activityRecord(record) };
    case 'KubeAudit': {
      const event = auditEventOf(record);
      return event.ok ? { kind: 'record', record: auditRecord(record, event.event) } : { kind: 'unreadable', reason: event.reason };
    }
  }
}
