/**
 * One operation written in every shape users hold logs in, built from the column lists of the
 * Azure Monitor table references (AzureActivity, AKSAudit/AKSAuditAdmin, AzureDiagnostics) and the
 * REST EventData of `az monitor activity-log list`. Values are invented.
 */
import { CLUSTER_ID } from './audit.js';

const CLUSTER_ARM_ID = CLUSTER_ID.toLowerCase();
const WORKSPACE_ID = '5e2b9f4c-1d3a-4b6c-8e7f-9a0b1c2d3e4f';

/** An `AKSAudit`/`AKSAuditAdmin` row; `dynamic` columns as objects, or as JSON text (`asText`). */
export function aksAuditRow(
  event: Record<string, unknown>,
  options: { asText?: boolean; table?: 'AKSAudit' | 'AKSAuditAdmin' } = {},
): Record<string, unknown> {
  const dyn = (value: unknown): unknown =>
    value === undefined ? undefined : options.asText === true ? JSON.stringify(value) : value;
  const row: Record<string, unknown> = {
    TenantId: WORKSPACE_ID,
    TimeGenerated: '2025-03-04T09:15:27.4529180Z',
    Level: event['level'],
    AuditId: event['auditID'],
    Stage: event['stage'],
    RequestUri: event['requestURI'],
    Verb: event['verb'],
    User: dyn(event['user']),
    SourceIps: dyn(event['sourceIPs']),
    UserAgent: event['userAgent'],
    ObjectRef: dyn(event['objectRef']),
    ResponseStatus: dyn(event['responseStatus']),
    RequestObject: dyn(event['requestObject']),
    ResponseObject: dyn(event['responseObject']),
    RequestReceivedTime: event['requestReceivedTimestamp'],
    StageReceivedTime: event['stageTimestamp'],
    Annotations: dyn(event['annotations']),
    PodName: 'kube-apiserver-7c9d8b6f5d-x2k4q',
    SourceSystem: 'Azure',
    Type: options.table ?? 'AKSAuditAdmin',
    _ResourceId: CLUSTER_ARM_ID,
  };
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined));
}

/** An `AzureDiagnostics` row of the legacy mode: the Event is JSON text in `log_s`. */
export function azureDiagnosticsRow(event: Record<string, unknown>): Record<string, unknown> {
  return {
    TenantId: WORKSPACE_ID,
    TimeGenerated: '2025-03-04T09:15:27.0000000Z',
    ResourceId: CLUSTER_ID,
    Category: 'kube-audit-admin',
    ResourceProvider: 'MICROSOFT.CONTAINERSERVICE',
    ResourceType: 'MANAGEDCLUSTERS',
    OperationName: 'Microsoft.ContainerService/managedClusters/diagnosticLogs/Read',
    log_s: `${JSON.stringify(event)}\n`,
    pod_s: 'kube-apiserver-7c9d8b6f5d-x2k4q',
    stream_s: 'stdout',
    SourceSystem: 'Azure',
    Type: 'AzureDiagnostics',
  };
}

/** The REST EventData of the export record `record`, as `az monitor activity-log list` prints it. */
export function restEventData(record: Record<string, unknown>): Record<string, unknown> {
  const identity = record['identity'] as { authorization: Record<string, unknown>; claims: unknown };
  const operation = record['operationName'] as string;
  return {
    authorization: { action: identity.authorization['action'], scope: identity.authorization['scope'] },
    caller: 'mallory@contoso.example',
    channels: 'Operation',
    claims: identity.claims,
    correlationId: record['correlationId'],
    description: '',
    eventDataId: '0c9a3f1e-7b2d-4e5f-8a6b-1c2d3e4f5a6b',
    eventName: { value: 'EndRequest', localizedValue: 'End request' },
    category: { value: 'Administrative', localizedValue: 'Administrative' },
    eventTimestamp: record['time'],
    httpRequest: { clientIpAddress: record['callerIpAddress'], method: 'PUT' },
    id: `${String(record['resourceId'])}/events/0c9a3f1e/ticks/638766525274410532`,
    level: 'Informational',
    operationId: '4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8',
    operationName: { value: operation, localizedValue: 'Create or update CronJob' },
    resourceGroupName: 'rg-pay',
    resourceProviderName: {
      value: 'Microsoft.ContainerService',
      localizedValue: 'Microsoft.ContainerService',
    },
    resourceType: { value: 'Microsoft.ContainerService/managedClusters', localizedValue: '' },
    resourceId: identity.authorization['scope'],
    status: { value: 'Succeeded', localizedValue: 'Succeeded' },
    subStatus: { value: 'Created', localizedValue: 'Created (HTTP Status Code: 201)' },
    submissionTimestamp: '2025-03-04T09:17:02.1234567Z',
    subscriptionId: '3f2a9c10-5b7e-4d21-9a44-0c1d2e3f4a5b',
    tenantId: '0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6',
  };
}

/** The `AzureActivity` row of the export record `record`; `dynamic` columns as objects or JSON text. */
export function azureActivityRow(
  record: Record<string, unknown>,
  options: { asText?: boolean } = {},
): Record<string, unknown> {
  const identity = record['identity'] as { authorization: Record<string, unknown>; claims: unknown };
  const dyn = (value: unknown): unknown => (options.asText === true ? JSON.stringify(value) : value);
  return {
    TenantId: WORKSPACE_ID,
    SourceSystem: 'Azure',
    CallerIpAddress: record['callerIpAddress'],
    CategoryValue: 'Administrative',
    CorrelationId: record['correlationId'],
    Authorization: JSON.stringify(identity.authorization),
    Authorization_d: dyn(identity.authorization),
    Claims: JSON.stringify(identity.claims),
    Claims_d: dyn(identity.claims),
    Level: 'Informational',
    OperationNameValue: record['operationName'],
    Properties: JSON.stringify(record['properties']),
    Properties_d: dyn(record['properties']),
    Caller: 'mallory@contoso.example',
    EventDataId: '0c9a3f1e-7b2d-4e5f-8a6b-1c2d3e4f5a6b',
    EventSubmissionTimestamp: '2025-03-04T09:17:02.1234567Z',
    HTTPRequest: '{"clientIpAddress":"198.51.100.23","method":"PUT"}',
    OperationId: '4e5f6a7b-8c9d-4e0f-a1b2-c3d4e5f6a7b8',
    ResourceGroup: 'RG-PAY',
    ResourceProviderValue: 'MICROSOFT.CONTAINERSERVICE',
    ActivityStatusValue: record['resultType'],
    ActivitySubstatusValue: record['resultSignature'],
    OperationName: 'Create or update CronJob',
    ActivityStatus: 'Succeeded',
    ActivitySubstatus: 'Created (HTTP Status Code: 201)',
    Category: 'Administrative',
    ResourceId: record['resourceId'],
    ResourceProvider: 'Microsoft.ContainerService',
    Resource: 'AKS-PAY-01',
    TimeGenerated: record['time'],
    SubscriptionId: '3f2a9c10-5b7e-4d21-9a44-0c1d2e3f4a5b',
    Type: 'AzureActivity',
    _ResourceId: String(record['resourceId']).toLowerCase(),
  };
}

/** Rows as a CSV file with a header row, as the portal exports them: datetime columns say ` [UTC]`. */
export function toCsv(rows: readonly Record<string, unknown>[]): string {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (value: unknown): string => {
    if (value === undefined || value === null) return '';
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const header = columns.map((c) => (/Time(Generated|stamp)?$|ReceivedTime$/.test(c) ? `${c} [UTC]` : c));
  return (
    [header.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\r\n') + '\r\n'
  );
}

/** A Log Analytics query API answer (tables, columns, rows), the format `hunt` reads too. */
export function queryResponse(
  rows: readonly Record<string, unknown>[],
  textColumns: readonly string[] = [],
): Record<string, unknown> {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return {
    tables: [
      {
        name: 'PrimaryResult',
        columns: columns.map((name) => ({
          name,
          type: textColumns.includes(name) ? 'string' : columnType(name, rows),
        })),
        // The service sends `dynamic` cells as JSON text; the SDK parses them.
        rows: rows.map((r) =>
          columns.map((c) =>
            typeof r[c] === 'object' && r[c] !== null ? JSON.stringify(r[c]) : (r[c] ?? null),
          ),
        ),
      },
    ],
  };
}

function columnType(name: string, rows: readonly Record<string, unknown>[]): string {
  if (/Time$|TimeGenerated|Timestamp$/.test(name)) return 'datetime';
  return rows.some((r) => typeof r[name] === 'object' && r[name] !== null) ? 'dynamic' : 'string';
}
