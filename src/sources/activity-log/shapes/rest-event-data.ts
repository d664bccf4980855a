import { isRecord } from '../../../util/is-record.js';
import { compact, textCell, timeText, type RecordShape } from '../../shape.js';

/**
 * The REST API's EventData, as `az monitor activity-log list` prints it. The mapping to the
 * diagnostic-settings export is Microsoft's, from "Schema from storage account and event hubs" in
 * https://learn.microsoft.com/azure/azure-monitor/fundamentals/activity-log-schema (time ←
 * eventTimestamp, operationName ← operationName.value, resultType ← status.value, resultSignature
 * ← subStatus.value, callerIpAddress ← httpRequest.clientIpAddress, identity ← claims +
 * authorization, properties.eventCategory ← category.value); the EventData fields are those of
 * azure-rest-api-specs `monitor/…/2015-04-01/activityLogs_API.json`.
 */
export const restEventDataShape: RecordShape = {
  id: 'rest-event-data',
  name: 'Activity Log REST EventData (az monitor activity-log list)',
  source: 'AzureActivity',
  marker: '"eventTimestamp"',
  recognise: (record) =>
    Object.hasOwn(record, 'eventTimestamp') && typeof localized(record['operationName']) === 'string',
  toSourceRecord(record) {
    const httpRequest = isRecord(record['httpRequest']) ? record['httpRequest'] : {};
    const category = localized(record['category']);
    const properties = isRecord(record['properties']) ? record['properties'] : {};
    return compact({
      time: timeText(record['eventTimestamp']),
      resourceId: textCell(record['resourceId']),
      operationName: localized(record['operationName']),
      category: category ?? 'Administrative',
      resultType: localized(record['status']),
      resultSignature: localized(record['subStatus']),
      resultDescription: textCell(record['description']),
      callerIpAddress: textCell(httpRequest['clientIpAddress']),
      correlationId: textCell(record['correlationId']),
      identity: compact({
        authorization: isRecord(record['authorization']) ? record['authorization'] : undefined,
        claims: isRecord(record['claims']) ? record['claims'] : undefined,
      }),
      level: textCell(record['level']),
      properties: compact({
        ...properties,
        eventCategory: category,
        eventName: localized(record['eventName']),
        operationId: textCell(record['operationId']),
      }),
      tenantId: textCell(record['tenantId']),
    });
  },
};

/** `{value, localizedValue}` → value (a plain string is taken as it is). */
function localized(value: unknown): string | undefined {
  if (typeof value === 'string') return textCell(value);
  return isRecord(value) ? textCell(value['value']) : undefined;
}
