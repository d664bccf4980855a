import { compact, dynamicRecord, textCell, timeText, type RecordShape } from '../../shape.js';

/**
 * A row of the Log Analytics `AzureActivity` table (a query export as JSON or CSV, or a `hunt`
 * result). Columns from https://learn.microsoft.com/azure/azure-monitor/reference/tables/azureactivity:
 * OperationNameValue, ActivityStatusValue, ActivitySubstatusValue, CategoryValue, CallerIpAddress,
 * CorrelationId, Level, ResourceId/_ResourceId, TimeGenerated, and the dynamic Authorization_d,
 * Claims_d, Properties_d (with string twins Authorization, Claims, Properties). Each maps back onto
 * the export field the same REST field feeds (activity-log-schema.md, "Schema from storage account
 * and event hubs").
 */
export const azureActivityRowShape: RecordShape = {
  id: 'azure-activity-row',
  name: 'AzureActivity table row',
  source: 'AzureActivity',
  marker: '"OperationNameValue"',
  recognise: (record) => typeof record['OperationNameValue'] === 'string',
  toSourceRecord(record) {
    const category = textCell(record['CategoryValue']) ?? textCell(record['Category']);
    const properties = dynamicRecord(record['Properties_d']) ?? dynamicRecord(record['Properties']) ?? {};
    return compact({
      time: timeText(record['TimeGenerated']) ?? timeText(record['EventSubmissionTimestamp']),
      resourceId: textCell(record['ResourceId']) ?? textCell(record['_ResourceId']),
      operationName: textCell(record['OperationNameValue']),
      category: category ?? 'Administrative',
      resultType: textCell(record['ActivityStatusValue']) ?? textCell(record['ActivityStatus']),
      resultSignature: textCell(record['ActivitySubstatusValue']) ?? textCell(record['ActivitySubstatus']),
      callerIpAddress: textCell(record['CallerIpAddress']),
      correlationId: textCell(record['CorrelationId']),
      identity: compact({
        authorization: dynamicRecord(record['Authorization_d']) ?? dynamicRecord(record['Authorization']),
        claims: dynamicRecord(record['Claims_d']) ?? dynamicRecord(record['Claims']),
      }),
      level: textCell(record['Level']),
      properties: compact({
        ...properties,
        eventCategory: category,
        operationId: textCell(record['OperationId']),
        eventDataId: textCell(record['EventDataId']),
      }),
    });
  },
};
