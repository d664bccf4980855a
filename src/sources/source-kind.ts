import type { SigmaLogSource } from '../sigma/rule.js';

/** The log sources the detector reads; the values are what the `Source` column holds. */
export type SourceKind = 'AzureActivity' | 'KubeAudit';

export const SOURCE_KINDS: readonly SourceKind[] = ['AzureActivity', 'KubeAudit'];

/** The Sigma log source a rule must declare to run on each source. */
export function sourceForLogsource(logsource: SigmaLogSource): SourceKind | undefined {
  const product = logsource.product?.toLowerCase();
  const service = logsource.service?.toLowerCase();
  const category = logsource.category?.toLowerCase();
  if (product === 'azure' && service === 'activitylogs' && category === undefined) return 'AzureActivity';
  if (
    product === 'kubernetes' &&
    service === 'audit' &&
    (category === undefined || category === 'application')
  )
    return 'KubeAudit';
  return undefined;
}

export function describeLogsource(logsource: SigmaLogSource): string {
  return [logsource.category, logsource.product, logsource.service].map((p) => p ?? '-').join('/');
}
