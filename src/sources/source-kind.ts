import type { SigmaLogSource } from '../sigma/rule.js';

/** The log sources the detector reads (see `SOURCES`); the values are what the `Source` column holds. */
export type SourceKind = 'AzureActivity' | 'KubeAudit';

export function describeLogsource(logsource: SigmaLogSource): string {
  return [logsource.category, logsource.product, logsource.service].map((p) => p ?? '-').join('/');
}
