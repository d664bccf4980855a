import { compact, dynamicValue, textCell, timeText, type RecordShape } from '../../shape.js';

/**
 * A row of the `AKSAudit` or `AKSAuditAdmin` table (resource-specific mode of AKS diagnostic
 * settings). Both tables have the same columns
 * (https://learn.microsoft.com/azure/azure-monitor/reference/tables/aksaudit, …/aksauditadmin):
 * strings AuditId, Level, RequestUri, Stage, UserAgent, Verb, PodName, _ResourceId; dynamic
 * Annotations, ObjectRef, RequestObject, ResponseObject, ResponseStatus, SourceIps, User;
 * datetimes RequestReceivedTime, StageReceivedTime, TimeGenerated. Each column is one field of the
 * audit.k8s.io/v1 Event the apiserver wrote, so the Event is rebuilt under its own field names.
 */
export const aksAuditRowShape: RecordShape = {
  id: 'aks-audit-row',
  name: 'AKSAudit / AKSAuditAdmin table row',
  source: 'KubeAudit',
  marker: '"AuditId"',
  recognise: (record) => typeof record['AuditId'] === 'string',
  toSourceRecord(record) {
    // `Type` names the table; `TableName` (added by az monitor log-analytics query) names the result, not the table.
    const table = textCell(record['Type']);
    const event = compact({
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      level: textCell(record['Level']),
      auditID: textCell(record['AuditId']),
      stage: textCell(record['Stage']),
      requestURI: textCell(record['RequestUri']),
      verb: textCell(record['Verb']),
      user: dynamicValue(record['User']),
      sourceIPs: dynamicValue(record['SourceIps']),
      userAgent: textCell(record['UserAgent']),
      objectRef: dynamicValue(record['ObjectRef']),
      responseStatus: dynamicValue(record['ResponseStatus']),
      requestObject: dynamicValue(record['RequestObject']),
      responseObject: dynamicValue(record['ResponseObject']),
      requestReceivedTimestamp: timeText(record['RequestReceivedTime']),
      stageTimestamp: timeText(record['StageReceivedTime']),
      annotations: dynamicValue(record['Annotations']),
    });
    return compact({
      category: table?.toLowerCase() === 'aksaudit' ? 'kube-audit' : 'kube-audit-admin',
      resourceId: textCell(record['_ResourceId']),
      time: timeText(record['TimeGenerated']),
      properties: compact({ log: event, pod: textCell(record['PodName']) }),
    });
  },
};
