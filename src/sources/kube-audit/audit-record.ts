import { isRecord } from '../../util/is-record.js';
import { parseClusterId } from '../resource-id.js';
import { recordTimes, stringOrUndefined, type RecordContext, type SourceRecord } from '../source-record.js';
import { KubeAuditDocument } from './audit-document.js';
import { deriveWorkload, failedWorkload, kindForResource, type WorkloadFacts } from './workload.js';

/** An AKS kube-audit record whose audit Event has been parsed; rules see the Event's own fields. */
export function auditRecord(record: Record<string, unknown>, event: Record<string, unknown>): SourceRecord {
  return new AuditSourceRecord(record, event);
}

/** A class rather than closures: one is built per audit record, so it must be cheap to make. */
class AuditSourceRecord implements SourceRecord {
  readonly source = 'KubeAudit' as const;
  readonly document: KubeAuditDocument;
  private facts: WorkloadFacts | undefined | null = null;

  constructor(
    readonly raw: Record<string, unknown>,
    private readonly event: Record<string, unknown>,
  ) {
    this.document = new KubeAuditDocument(event, this);
  }

  get embeddedEvent(): Record<string, unknown> {
    return this.event;
  }

  /**
   * Derived once, and only when a rule or the finding asks: most audit events are reads. Never
   * throws: a failure becomes facts that say so, so it costs no rule on this record its finding.
   */
  workload(): WorkloadFacts | undefined {
    if (this.facts === null) {
      try {
        this.facts = deriveWorkload(this.event);
      } catch (error) {
        this.facts = failedWorkload(this.event, error);
      }
    }
    return this.facts;
  }

  problems(): readonly string[] {
    const error = this.facts?.error;
    const limits = this.document.limitsExceeded();
    return error === undefined ? limits : [`workload fields not derived: ${error}`, ...limits];
  }

  context(): RecordContext {
    return auditContext(this.raw, this.event, this.workload());
  }
}

function auditContext(
  record: Record<string, unknown>,
  event: Record<string, unknown>,
  facts: WorkloadFacts | undefined,
): RecordContext {
  const objectRef = isRecord(event['objectRef']) ? event['objectRef'] : {};
  const user = isRecord(event['user']) ? event['user'] : {};
  const impersonated = isRecord(event['impersonatedUser']) ? event['impersonatedUser'] : undefined;
  const requestObject = isRecord(event['requestObject']) ? event['requestObject'] : undefined;
  const metadata =
    requestObject !== undefined && isRecord(requestObject['metadata']) ? requestObject['metadata'] : {};
  const resource = stringOrUndefined(objectRef['resource']);
  const cluster = parseClusterId(record['resourceId']);
  const auditId = stringOrUndefined(event['auditID']);
  const username = stringOrUndefined(user['username']);
  const impersonatedName =
    impersonated === undefined ? undefined : stringOrUndefined(impersonated['username']);
  const sourceIps = Array.isArray(event['sourceIPs'])
    ? event['sourceIPs'].filter((ip): ip is string => typeof ip === 'string')
    : [];
  return {
    // The request's own time comes first: it is when the write happened, to the microsecond, and
    // every shape carries it; the export's `time` is AKS's (per second, and absent in raw files).
    times: recordTimes([
      ['requestReceivedTimestamp', event['requestReceivedTimestamp']],
      ['stageTimestamp', event['stageTimestamp']],
      ['time', record['time']],
    ]),
    sourceRecordId: auditId,
    operation: describeOperation(event, objectRef),
    resultType: describeResult(event),
    cluster,
    ...(cluster === undefined && typeof record['clusterName'] === 'string'
      ? { clusterName: record['clusterName'] }
      : {}),
    namespace: stringOrUndefined(objectRef['namespace']) ?? stringOrUndefined(metadata['namespace']),
    workloadKind:
      facts?.kind ??
      (requestObject !== undefined ? stringOrUndefined(requestObject['kind']) : undefined) ??
      kindForResource(resource),
    workloadName:
      stringOrUndefined(objectRef['name']) ??
      stringOrUndefined(metadata['name']) ??
      stringOrUndefined(metadata['generateName']),
    caller: impersonatedName === undefined ? username : `${username ?? '(unknown)'} as ${impersonatedName}`,
    callerObjectId: stringOrUndefined(user['uid']),
    // Every address before the last comes from client-supplied headers; the last is the peer the API server saw.
    callerIpAddress: sourceIps[sourceIps.length - 1],
    principals: username === undefined ? [] : [username],
    operationKey: [
      auditId ?? stringOrUndefined(event['requestReceivedTimestamp']) ?? '',
      cluster?.resourceId ??
        (
          stringOrUndefined(record['resourceId']) ??
          stringOrUndefined(record['clusterName']) ??
          ''
        ).toLowerCase(),
    ].join('|'),
  };
}

function describeOperation(
  event: Record<string, unknown>,
  objectRef: Record<string, unknown>,
): string | undefined {
  const verb = stringOrUndefined(event['verb']);
  const resource = stringOrUndefined(objectRef['resource']);
  if (verb === undefined) return undefined;
  if (resource === undefined) return `${verb} ${stringOrUndefined(event['requestURI']) ?? ''}`.trim();
  const group = stringOrUndefined(objectRef['apiGroup']);
  const sub = stringOrUndefined(objectRef['subresource']);
  return `${verb} ${group === undefined ? '' : `${group}/`}${resource}${sub === undefined ? '' : `/${sub}`}`;
}

/**
 * `Success (201)`, `Denied (403)`, `Failed (404)`, by HTTP status class (RFC 9110 §15): attempts
 * that did not succeed are still findings, and a 101 (an upgraded exec or attach) is no failure.
 */
function describeResult(event: Record<string, unknown>): string | undefined {
  const status = isRecord(event['responseStatus']) ? event['responseStatus'] : {};
  const code = status['code'];
  if (typeof code !== 'number' || !Number.isInteger(code)) return undefined;
  return `${outcomeOf(code)} (${code})`;
}

function outcomeOf(code: number): string {
  if (code === 401 || code === 403) return 'Denied';
  if (code >= 100 && code < 200) return 'Informational';
  if (code >= 200 && code < 300) return 'Success';
  if (code >= 300 && code < 400) return 'Redirected';
  if (code >= 400 && code < 500) return 'Failed';
  if (code >= 500 && code < 600) return 'Server error';
  return 'Unknown';
}
