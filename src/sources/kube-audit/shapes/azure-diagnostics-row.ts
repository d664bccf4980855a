import { compact, textCell, timeText, type RecordShape } from '../../shape.js';

const AUDIT_CATEGORIES = new Set(['kube-audit', 'kube-audit-admin']);

/**
 * A row of the legacy `AzureDiagnostics` table (Azure diagnostics mode of AKS diagnostic
 * settings, https://learn.microsoft.com/azure/azure-monitor/reference/tables/azurediagnostics):
 * `Category` is `kube-audit` or `kube-audit-admin` and the whole audit Event is JSON text in
 * `log_s` (https://learn.microsoft.com/azure/aks/monitor-aks). The text stays text, so the
 * prefilter can rule the Event out before it is parsed, as for the export's `properties.log`.
 */
export const azureDiagnosticsRowShape: RecordShape = {
  id: 'azure-diagnostics-row',
  name: 'AzureDiagnostics kube-audit row',
  source: 'KubeAudit',
  marker: '"log_s"',
  recognise: (record) =>
    typeof record['log_s'] === 'string' &&
    typeof record['Category'] === 'string' &&
    AUDIT_CATEGORIES.has(record['Category'].toLowerCase()),
  toSourceRecord(record) {
    return compact({
      category: (record['Category'] as string).toLowerCase(),
      resourceId: textCell(record['ResourceId']) ?? textCell(record['_ResourceId']),
      time: timeText(record['TimeGenerated']),
      properties: compact({
        log: record['log_s'],
        pod: textCell(record['pod_s']),
        stream: textCell(record['stream_s']),
      }),
    });
  },
};
