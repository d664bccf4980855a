import { isRecord } from '../sigma/field-path.js';
import type { SourceKind } from './source-kind.js';

export type Classification =
  { readonly source: SourceKind } | { readonly source: 'unknown'; readonly reason: string };

/** Categories an Activity Log record can carry in a diagnostic-settings export (and legacy log profiles). */
const ACTIVITY_CATEGORIES = new Set([
  'administrative',
  'security',
  'servicehealth',
  'alert',
  'recommendation',
  'policy',
  'autoscale',
  'resourcehealth',
  'write',
  'delete',
  'action',
]);

const AUDIT_CATEGORIES = new Set(['kube-audit', 'kube-audit-admin']);

/** Decides which source a record belongs to from its shape; anything else is counted, never an error. */
export function classifyRecord(record: Record<string, unknown>): Classification {
  const category = typeof record['category'] === 'string' ? record['category'].toLowerCase() : undefined;
  if (category !== undefined && AUDIT_CATEGORIES.has(category)) return { source: 'KubeAudit' };
  if (typeof record['operationName'] !== 'string') return { source: 'unknown', reason: 'no operationName' };
  if (category !== undefined) {
    return ACTIVITY_CATEGORIES.has(category)
      ? { source: 'AzureActivity' }
      : { source: 'unknown', reason: `resource-log category "${String(record['category'])}"` };
  }
  const looksLikeActivity =
    typeof record['resultType'] === 'string' ||
    typeof record['correlationId'] === 'string' ||
    isRecord(record['identity']);
  return looksLikeActivity ? { source: 'AzureActivity' } : { source: 'unknown', reason: 'no category' };
}
