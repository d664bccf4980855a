import { isRecord } from '../../util/is-record.js';
import { parseClusterIdPreferringCase } from '../resource-id.js';
import { recordTimes, stringOrUndefined, type RecordContext, type SourceRecord } from '../source-record.js';
import { ActivityLogDocument } from './activity-document.js';
import { activityCaller } from './caller.js';

/** Keyed by a segment of the record's operationName, so a Map: `CONSTRUCTOR` must find nothing. */
const WORKLOAD_KINDS: ReadonlyMap<string, string> = new Map([
  ['CRONJOBS', 'CronJob'],
  ['JOBS', 'Job'],
  ['PODS', 'Pod'],
  ['DEPLOYMENTS', 'Deployment'],
  ['DAEMONSETS', 'DaemonSet'],
  ['STATEFULSETS', 'StatefulSet'],
  ['REPLICASETS', 'ReplicaSet'],
]);

export function activityRecord(record: Record<string, unknown>): SourceRecord {
  return new ActivitySourceRecord(record);
}

/** A class rather than closures: one is built per record, so it must be cheap to make. */
class ActivitySourceRecord implements SourceRecord {
  readonly source = 'AzureActivity' as const;
  readonly document: ActivityLogDocument;
  readonly embeddedEvent = undefined;

  constructor(readonly raw: Record<string, unknown>) {
    this.document = new ActivityLogDocument(raw);
  }

  context(): RecordContext {
    return activityContext(this.raw);
  }

  /** The Activity Log names the kind written, never its pod spec. */
  workload(): undefined {
    return undefined;
  }

  problems(): readonly string[] {
    return this.document.limitsExceeded();
  }
}

function activityContext(record: Record<string, unknown>): RecordContext {
  const identity = isRecord(record['identity']) ? record['identity'] : {};
  const authorization = isRecord(identity['authorization']) ? identity['authorization'] : {};
  const claims = isRecord(identity['claims']) ? identity['claims'] : {};
  const operation = stringOrUndefined(record['operationName']);
  const cluster = parseClusterIdPreferringCase(record['resourceId'], authorization['scope']);
  const { caller, objectId } = activityCaller(record);
  const correlationId = stringOrUndefined(record['correlationId']);
  return {
    times: recordTimes([['time', record['time']]]),
    sourceRecordId: correlationId,
    operation,
    resultType: stringOrUndefined(record['resultType']),
    cluster,
    namespace: undefined,
    workloadKind: workloadKindOf(operation),
    workloadName: undefined,
    caller,
    callerObjectId: objectId,
    callerIpAddress: stringOrUndefined(record['callerIpAddress']) ?? stringOrUndefined(claims['ipaddr']),
    principals: [caller, objectId, stringOrUndefined(claims['appid'])].filter(
      (p): p is string => p !== undefined,
    ),
    operationKey: [
      correlationId ?? stringOrUndefined(record['time']) ?? '',
      operation?.toUpperCase() ?? '',
      cluster?.resourceId ?? (stringOrUndefined(record['resourceId']) ?? '').toLowerCase(),
    ].join('|'),
  };
}

/** `…/BATCH/CRONJOBS/WRITE` → `CronJob`: the Activity Log names the kind, never the object. */
function workloadKindOf(operation: string | undefined): string | undefined {
  if (operation === undefined) return undefined;
  const segments = operation.toUpperCase().split('/');
  const resource = segments[segments.length - 2];
  return resource === undefined ? undefined : WORKLOAD_KINDS.get(resource);
}
