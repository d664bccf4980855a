import type { ReportModel, Row } from './model.js';

export interface Clusters {
  /** The key a row's cluster is counted and filtered by. */
  readonly key: (row: Row) => string;
  readonly label: (key: string) => string;
  /** The label of a row's cluster. */
  readonly of: (row: Row) => string;
}

/**
 * As in the workbook, a cluster is its lower-case ClusterResourceId, labelled with its name (ARM's
 * spelling when enrichment found it): the Activity Log's aks-1 and kube-audit's AKS-1 are one cluster.
 */
export function clusterNames(model: ReportModel): Clusters {
  const key = (row: Row): string => row.ClusterResourceId ?? row.ClusterName ?? '—';
  const labels = new Map<string, string>();
  for (const { row } of [...model.findings, ...model.suppressed]) {
    const enriched = row.Enrichment['status'] === 'ok';
    if (row.ClusterName !== null && (enriched || !labels.has(key(row))))
      labels.set(key(row), row.ClusterName);
  }
  const label = (k: string): string => labels.get(k) ?? k;
  return { key, label, of: (row) => label(key(row)) };
}
