/**
 * The KQL `hunt` sends, one query per table and time window. Each query is narrowed by table,
 * by time, and by the cheap literals the bundled rules require of a write to a CronJob or Job,
 * so the workspace returns only rows a rule could match; `--no-narrow` drops the literals (for
 * rules of your own about other resources). Column names are those of the Azure Monitor table
 * reference (azureactivity, aksaudit, aksauditadmin, azurediagnostics).
 */
export type HuntTable = 'AzureActivity' | 'AKSAuditAdmin' | 'AKSAudit' | 'AzureDiagnostics';

export const HUNT_TABLES: readonly HuntTable[] = [
  'AzureActivity',
  'AKSAuditAdmin',
  'AKSAudit',
  'AzureDiagnostics',
];

const NARROWING: Readonly<Record<HuntTable, string>> = {
  // `has` matches whole terms and uses the term index: "batch" is a term of
  // Microsoft.ContainerService/managedClusters/batch/cronjobs/write and its connectedClusters twin.
  AzureActivity: '| where OperationNameValue has "batch"',
  AKSAuditAdmin: '| where tostring(ObjectRef.resource) in~ ("jobs", "cronjobs")',
  AKSAudit: '| where tostring(ObjectRef.resource) in~ ("jobs", "cronjobs")',
  AzureDiagnostics: '| where log_s has_any ("jobs", "cronjobs")',
};

const TABLE_FILTER: Readonly<Partial<Record<HuntTable, string>>> = {
  AzureDiagnostics: '| where Category in~ ("kube-audit", "kube-audit-admin")',
};

/**
 * The query SDK turns `datetime` cells into Date objects, which keep milliseconds; the tables
 * keep 100 ns. Sent as text, the event's own time reaches the finding as the table holds it.
 */
const TIMES_AS_TEXT: Readonly<Record<HuntTable, string>> = {
  AzureActivity: '| extend TimeGenerated = tostring(TimeGenerated)',
  AKSAuditAdmin:
    '| extend TimeGenerated = tostring(TimeGenerated), RequestReceivedTime = tostring(RequestReceivedTime), StageReceivedTime = tostring(StageReceivedTime)',
  AKSAudit:
    '| extend TimeGenerated = tostring(TimeGenerated), RequestReceivedTime = tostring(RequestReceivedTime), StageReceivedTime = tostring(StageReceivedTime)',
  AzureDiagnostics: '| extend TimeGenerated = tostring(TimeGenerated)',
};

export interface QueryWindow {
  readonly start: Date;
  readonly end: Date;
}

/** One table and window; `take` asks for one row more than `maxRows`, so an overflow shows. */
export function huntQuery(table: HuntTable, window: QueryWindow, maxRows: number, narrow: boolean): string {
  return [
    table,
    `| where TimeGenerated >= datetime(${window.start.toISOString()}) and TimeGenerated < datetime(${window.end.toISOString()})`,
    TABLE_FILTER[table],
    narrow ? NARROWING[table] : undefined,
    `| take ${maxRows + 1}`,
    TIMES_AS_TEXT[table],
  ]
    .filter((line): line is string => line !== undefined)
    .join('\n');
}
