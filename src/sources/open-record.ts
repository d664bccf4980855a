import { activityRecord } from './activity-log/activity-record.js';
import { classifyRecord } from './classify.js';
import { auditEventOf } from './kube-audit/audit-event.js';
import { auditRecord } from './kube-audit/audit-record.js';
import type { ShapeContext } from './shape.js';
import { shapeOf } from './shapes.js';
import type { SourceKind } from './source-kind.js';
import type { SourceRecord } from './source-record.js';

export type OpenedRecord =
  | { readonly kind: 'record'; readonly record: SourceRecord }
  | { readonly kind: 'unknown'; readonly reason: string }
  | { readonly kind: 'unreadable'; readonly reason: string }
  | { readonly kind: 'ruled-out'; readonly source: SourceKind };

/**
 * Classifies a decoded record and wraps it in its source's document; a record of another shape
 * (a table row, a REST answer, a raw audit Event) is first converted into the export's record.
 * `auditLogMayMatch`, when given, lets a kube-audit record whose audit text cannot match stay unparsed.
 */
export function openRecord(
  input: Record<string, unknown>,
  auditLogMayMatch?: (log: string) => boolean,
  context: ShapeContext = {},
): OpenedRecord {
  let record = input;
  let classification = classifyRecord(record);
  const shape = classification.source === 'unknown' ? shapeOf(record) : undefined;
  if (shape !== undefined) {
    record = shape.toSourceRecord(record, context);
    classification = classifyRecord(record);
  }
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
