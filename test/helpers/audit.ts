import { recogniseRecord } from '../../src/sources/recognise.js';
import type { WorkloadFacts } from '../../src/sources/kube-audit/workload.js';
import type { SourceRecord } from '../../src/sources/source-record.js';

/** Builders for AKS kube-audit records around Kubernetes audit Events. */

export const CLUSTER_ID =
  '/SUBSCRIPTIONS/3F2A9C10-5B7E-4D21-9A44-0C1D2E3F4A5B/RESOURCEGROUPS/RG-PAY/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/AKS-PAY-01';

/** Wraps an audit Event the way AKS diagnostic settings export it: a JSON string with a trailing newline. */
export function aksRecord(
  event: Record<string, unknown>,
  options: { parsed?: boolean; category?: string } = {},
): Record<string, unknown> {
  return {
    operationName: 'Microsoft.ContainerService/managedClusters/diagnosticLogs/Read',
    category: options.category ?? 'kube-audit-admin',
    ccpNamespace: '65f1c0d2e3a4b50001c2d3e4',
    resourceId: CLUSTER_ID,
    properties: {
      log: options.parsed === true ? event : `${JSON.stringify(event)}\n`,
      stream: 'stdout',
      pod: 'kube-apiserver-7c9d8b6f5d-x2k4q',
    },
    time: '2025-03-04T09:15:27.0000000Z',
  };
}

export interface WriteOptions {
  verb?: string;
  resource?: string;
  namespace?: string;
  name?: string;
  username?: string;
  code?: number;
  level?: string;
  requestObject?: unknown;
  responseObject?: unknown;
  subresource?: string;
  impersonate?: string;
}

export function auditEvent(options: WriteOptions = {}): Record<string, unknown> {
  const resource = options.resource ?? 'cronjobs';
  const namespace = options.namespace ?? 'default';
  return {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: options.level ?? 'RequestResponse',
    auditID: '1f8e2d3c-4b5a-4697-8877-66a5b4c3d2e1',
    stage: 'ResponseComplete',
    requestURI: `/apis/batch/v1/namespaces/${namespace}/${resource}?fieldManager=kubectl-client-side-apply`,
    verb: options.verb ?? 'create',
    user: {
      username: options.username ?? 'mallory@contoso.example',
      uid: 'u-1',
      groups: ['system:authenticated'],
    },
    ...(options.impersonate === undefined ? {} : { impersonatedUser: { username: options.impersonate } }),
    sourceIPs: ['203.0.113.1', '198.51.100.23'],
    userAgent: 'kubectl/v1.30.2',
    objectRef: {
      resource,
      namespace,
      name: options.name ?? 'evil',
      apiGroup: 'batch',
      apiVersion: 'v1',
      ...(options.subresource === undefined ? {} : { subresource: options.subresource }),
    },
    responseStatus: { metadata: {}, code: options.code ?? 201 },
    ...(options.requestObject === undefined ? {} : { requestObject: options.requestObject }),
    ...(options.responseObject === undefined ? {} : { responseObject: options.responseObject }),
    requestReceivedTimestamp: '2025-03-04T09:15:27.431220Z',
    stageTimestamp: '2025-03-04T09:15:27.452918Z',
    annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': '' },
  };
}

export function podSpec(
  container: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { restartPolicy: 'OnFailure', containers: [{ name: 'c', ...container }], ...extra };
}

export function cronJobBody(spec: Record<string, unknown>): Record<string, unknown> {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'evil', namespace: 'default' },
    spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: { spec } } } },
  };
}

export function jobBody(spec: Record<string, unknown>): Record<string, unknown> {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'evil', namespace: 'default' },
    spec: { template: { spec } },
  };
}

/** Opens a record the way the detector does (recognise its shape, open the envelope); throws if it is no record. */
export function openedRecord(record: Record<string, unknown>): SourceRecord {
  const opened = recogniseRecord(record)?.shape.open(record);
  if (opened?.kind !== 'record') throw new Error(`not a record: ${opened?.kind ?? 'unrecognised'}`);
  return opened.record;
}

/** The facts of a CronJob body that sets nothing security-relevant. */
export const NO_WORKLOAD_FACTS: WorkloadFacts = {
  body: 'present',
  kind: 'CronJob',
  images: [],
  commands: [],
  privileged: false,
  allowPrivilegeEscalation: false,
  capabilities: [],
  runAsRoot: false,
  hostNetwork: false,
  hostPID: false,
  hostIPC: false,
  hostPaths: [],
  hostPathMountPaths: [],
  mountPaths: [],
  pathsAsWritten: [],
  serviceAccount: undefined,
  truncated: [],
};
