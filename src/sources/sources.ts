import type { SigmaLogSource } from '../sigma/rule.js';
import { activityLogSource } from './activity-log/source.js';
import { kubeAuditSource } from './kube-audit/source.js';
import type { LogSource } from './log-source.js';
import type { SourceKind } from './source-kind.js';

/** Every log source the detector reads. A new source is a folder beside these and a line here. */
export const SOURCES: readonly LogSource[] = [activityLogSource, kubeAuditSource];

export const SOURCE_KINDS: readonly SourceKind[] = SOURCES.map((s) => s.id);

export function sourceById(id: string): LogSource | undefined {
  return SOURCES.find((s) => s.id === id);
}

/** The source a rule runs on, from the Sigma log source it declares. */
export function sourceForLogsource(logsource: SigmaLogSource): SourceKind | undefined {
  return SOURCES.find((s) => s.matchesLogsource(logsource))?.id;
}
