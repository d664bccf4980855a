import type { SigmaLogSource } from '../../sigma/rule.js';
import { isRecord } from '../../util/is-record.js';
import type { InputShape, LogSource } from '../log-source.js';
import { convertedShape } from '../shape.js';
import { azureActivityRowShape } from './shapes/azure-activity-row.js';
import { restEventDataShape } from './shapes/rest-event-data.js';
import { isRawActivityField } from './activity-document.js';
import { activityRecord } from './activity-record.js';
import { ACTIVITY_LOG_FIELDS } from './fields.js';

/** Categories an Activity Log record can carry in a diagnostic-settings export (and legacy log profiles). */
const ACTIVITY_CATEGORIES = new Set([
  'administrative',
  'security',
  'servicehealth',
  'alert',
  'recommendation',
  'policy',
  'autoscale',
  'resourcehealth',
  'write',
  'delete',
  'action',
]);

/** An Activity Log record as diagnostic settings (or a legacy log profile) export it. */
const diagnosticExport: InputShape = {
  id: 'diagnostic-export',
  description: 'Activity Log record from diagnostic settings or a log profile',
  recognise: (record) => {
    if (typeof record['operationName'] !== 'string') return false;
    const category = record['category'];
    // A resource log with another category (kube-audit, …) also carries an operationName.
    if (typeof category === 'string') return ACTIVITY_CATEGORIES.has(category.toLowerCase());
    return (
      typeof record['resultType'] === 'string' ||
      typeof record['correlationId'] === 'string' ||
      isRecord(record['identity'])
    );
  },
  open: (record) => ({ kind: 'record', record: activityRecord(record) }),
};

export const activityLogSource: LogSource = {
  id: 'AzureActivity',
  displayName: 'Activity Log',
  matchesLogsource: (logsource: SigmaLogSource) =>
    logsource.product?.toLowerCase() === 'azure' &&
    logsource.service?.toLowerCase() === 'activitylogs' &&
    logsource.category === undefined,
  shapes: [
    diagnosticExport,
    convertedShape(restEventDataShape, diagnosticExport),
    convertedShape(azureActivityRowShape, diagnosticExport),
  ],
  fields: ACTIVITY_LOG_FIELDS,
  // Every record holds `operationName`, but so does nearly every body: no gate worth its scan.
  prefilter: { gate: undefined, embedded: undefined, isRawField: isRawActivityField },
  shortOperation: (operation) => {
    // `MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/CRONJOBS/WRITE` → `batch/cronjobs/write`.
    const match = /\/(?:managedclusters|connectedclusters)\/(.+)/i.exec(operation);
    return match?.[1] === undefined ? operation : match[1].toLowerCase();
  },
  restamp: () => {
    // `time` is the only time an Activity Log record has; the common envelope stamp covers it.
  },
};
