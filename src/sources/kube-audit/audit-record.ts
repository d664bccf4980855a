import { JsonEventDocument } from '../../sigma/event-document.js';
import { isRecord } from '../../sigma/field-path.js';
import { parseClusterId } from '../resource-id.js';
import { stringOrUndefined, type RecordContext, type SourceRecord } from '../source-record.js';

const KIND_BY_RESOURCE: Readonly<Record<string, string>> = {
  cronjobs: 'CronJob', jobs: 'Job', pods: 'Pod', deployments: 'Deployment', daemonsets: 'DaemonSet',
  statefulsets: 'StatefulSet', replicasets: 'ReplicaSet', replicationcontrollers: 'ReplicationController',
};

/** An AKS kube-audit record whose audit Event has been parsed; rules see the Event's own fields. */
export function auditRecord(record: Record<string, unknown>, event: Record<string, unknown>): SourceRecord {
  return {
    source: 'KubeAudit',
    document: new JsonEventDocument(event),
    raw: { ...record, properties: { ...(record['properties'] as Record<string, unknown>), log: event } },
    context: () => auditContext(record, event),
  };
}

function auditContext(record: Record<string, unknown>, event: Record<string, unknown>): RecordContext {
  const objectRef = isRecord(event['objectRef']) ? event['objectRef'] : {};
  const user = isRecord(event['user']) ? event['user'] : {};
  const impersonated = isRecord(event['impersonatedUser']) ? event['impersonatedUser'] : undefined;
  const requestObject = isRecord(event['requestObject']) ? event['requestObject'] : undefined;
  const metadata = requestObject !== undefined && isRecord(requestObject['metadata']) ? requestObject['metadata'] : {};
  const resource = stringOrUndefined(objectRef['resource']);
  const cluster = parseClusterId(record['resourceId']);
  const auditId = stringOrUndefined(event['auditID']);
  const username = stringOrUndefined(user['username']);
  const impersonatedName = impersonated === undefined ? undefined : stringOrUndefined(impersonated['username']);
  const sourceIps = Array.isArray(event['sourceIPs']) ? event['sourceIPs'].filter((ip): ip is string => typeof ip === 'string') : [];
  return {
    time: stringOrUndefined(event['requestReceivedTimestamp']) ?? stringOrUndefined(event['stageTimestamp']) ?? stringOrUndefined(record['time']),
    sourceRecordId: auditId,
    operation: describeOperation(event, objectRef),
    resultType: describeResult(event),
    cluster,
    namespace: stringOrUndefined(objectRef['namespace']) ?? stringOrUndefined(metadata['namespace']),
    workloadKind: (requestObject !== undefined ? stringOrUndefined(requestObject['kind']) : undefined) ?? (resource === undefined ? undefined : KIND_BY_RESOURCE[resource]),
    workloadName: stringOrUndefined(objectRef['name']) ?? stringOrUndefined(metadata['name']) ?? stringOrUndefined(metadata['generateName']),
    caller: impersonatedName === undefined ? username : `${username ?? '(unknown)'} as ${impersonatedName}`,
    callerObjectId: stringOrUndefined(user['uid']),
    // Every address before the last comes from client-supplied headers; the last is the peer the API server saw.
    callerIpAddress: sourceIps[sourceIps.length - 1],
    operationKey: [auditId ?? stringOrUndefined(event['requestReceivedTimestamp']) ?? '', cluster?.resourceId ?? String(record['resourceId'] ?? '').toLowerCase()].join('|'),
  };
}

function describeOperation(event: Record<string, unknown>, objectRef: Record<string, unknown>): string | undefined {
  const verb = stringOrUndefined(event['verb']);
  const resource = stringOrUndefined(objectRef['resource']);
  if (verb === undefined) return undefined;
  if (resource === undefined) return `${verb} ${stringOrUndefined(event['requestURI']) ?? ''}`.trim();
  const group = stringOrUndefined(objectRef['apiGroup']);
  const sub = stringOrUndefined(objectRef['subresource']);
  return `${verb} ${group === undefined ? '' : `${group}/`}${resource}${sub === undefined ? '' : `/${sub}`}`;
}

/** `Success (201)`, `Denied (403)`, `Failed (404)`: attempts that did not succeed are still findings. */
function describeResult(event: Record<string, unknown>): string | undefined {
  const status = isRecord(event['responseStatus']) ? event['responseStatus'] : {};
  const code = status['code'];
  if (typeof code !== 'number') return undefined;
  const outcome = code >= 200 && code < 300 ? 'Success' : code === 401 || code === 403 ? 'Denied' : 'Failed';
  return `${outcome} (${code})`;
}
