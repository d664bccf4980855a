import { parseClusterId } from '../../resource-id.js';
import { compact, textCell, type RecordShape, type ShapeContext } from '../../shape.js';

/** What findings say when a raw audit file's cluster was not named with `--cluster-id`. */
export const UNKNOWN_CLUSTER = 'unknown';

/**
 * One audit.k8s.io Event as the apiserver's log backend writes it (`--audit-log-path`, one JSON
 * Event per line) or as an item of the webhook backend's EventList
 * (https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/). The file carries no Azure
 * resource id, so the cluster comes from `--cluster-id`: an ARM id fills `resourceId` as the
 * export does; a bare name, or nothing, goes in `clusterName`.
 */
export const apiserverEventShape: RecordShape = {
  id: 'apiserver-event',
  name: 'Kubernetes audit Event (apiserver log or webhook EventList)',
  source: 'KubeAudit',
  marker: '"auditID"',
  recognise: (record) =>
    record['kind'] === 'Event' &&
    typeof record['apiVersion'] === 'string' &&
    record['apiVersion'].startsWith('audit.k8s.io/') &&
    typeof record['auditID'] === 'string',
  toSourceRecord(record, context) {
    const cluster = clusterOf(context);
    return compact({
      category: 'kube-audit',
      ...cluster,
      time: textCell(record['stageTimestamp']) ?? textCell(record['requestReceivedTimestamp']),
      properties: { log: record },
    });
  },
};

function clusterOf(
  context: ShapeContext,
): { resourceId?: string; clusterName: string } | { resourceId: string } {
  const id = context.clusterId?.trim();
  if (id === undefined || id === '') return { clusterName: UNKNOWN_CLUSTER };
  return parseClusterId(id) === undefined ? { clusterName: id } : { resourceId: id };
}

/** Whether `--cluster-id` is usable: an ARM id of a managed or connected cluster, or a bare name. */
export function checkClusterId(id: string): string | undefined {
  if (id.trim() === '') return '--cluster-id is empty';
  if (id.includes('/') && parseClusterId(id) === undefined)
    return `--cluster-id "${id.slice(0, 200)}" is not the ARM id of a managed or connected cluster (…/providers/Microsoft.ContainerService/managedClusters/<name> or …/Microsoft.Kubernetes/connectedClusters/<name>), nor a bare name`;
  return undefined;
}
