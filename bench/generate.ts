/**
 * A deterministic, realistic mixed stream of Event Hub bodies: Activity Log bodies of 20 records
 * and AKS kube-audit bodies of 20 records (the mix of an idle cluster, see AUDIT_MIX), with a small
 * share of suspicious CronJob/Job writes that the bundled rules flag.
 */

export interface StreamOptions {
  readonly targetBytes: number;
  /** Share of records that are suspicious CronJob/Job writes. */
  readonly hitRate: number;
  readonly seed: number;
}

export interface GeneratedStream {
  readonly bodies: Buffer[];
  readonly bytes: number;
  readonly records: number;
  readonly hits: number;
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SUB = '3F2A9C10-5B7E-4D21-9A44-0C1D2E3F4A5B';
const ACTIVITY_OPS = [
  'MICROSOFT.STORAGE/STORAGEACCOUNTS/LISTKEYS/ACTION',
  'MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE',
  'MICROSOFT.RESOURCES/DEPLOYMENTS/WRITE',
  'MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/SECURITYRULES/WRITE',
  'MICROSOFT.KEYVAULT/VAULTS/WRITE',
  'MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE',
  'MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/LISTCLUSTERUSERCREDENTIAL/ACTION',
  'MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/WRITE',
  'MICROSOFT.WEB/SITES/RESTART/ACTION',
  'MICROSOFT.INSIGHTS/DIAGNOSTICSETTINGS/WRITE',
  'MICROSOFT.SQL/SERVERS/DATABASES/WRITE',
  'MICROSOFT.COMPUTE/DISKS/DELETE',
];
const HIT_OPS = [
  'MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/CRONJOBS/WRITE',
  'MICROSOFT.KUBERNETES/CONNECTEDCLUSTERS/BATCH/JOBS/WRITE',
];

function uuid(random: () => number): string {
  const hex = () => Math.floor(random() * 16).toString(16);
  return `${Array.from({ length: 8 }, hex).join('')}-${Array.from({ length: 4 }, hex).join('')}-4${Array.from({ length: 3 }, hex).join('')}-a${Array.from({ length: 3 }, hex).join('')}-${Array.from({ length: 12 }, hex).join('')}`;
}

function activityRecord(random: () => number, hit: boolean): Record<string, unknown> {
  const op = hit
    ? (HIT_OPS[Math.floor(random() * HIT_OPS.length)] as string)
    : (ACTIVITY_OPS[Math.floor(random() * ACTIVITY_OPS.length)] as string);
  const rg = `RG-APP-${Math.floor(random() * 40)}`;
  const provider = op.split('/').slice(0, 2).join('/');
  return {
    time: `2025-03-04T09:${String(Math.floor(random() * 60)).padStart(2, '0')}:27.4410532Z`,
    resourceId: `/SUBSCRIPTIONS/${SUB}/RESOURCEGROUPS/${rg}/PROVIDERS/${provider}/RES-${Math.floor(random() * 1000)}`,
    operationName: op,
    category: 'Administrative',
    resultType: random() < 0.5 ? 'Start' : 'Success',
    resultSignature: 'Succeeded.OK',
    durationMs: '0',
    callerIpAddress: `198.51.100.${Math.floor(random() * 255)}`,
    correlationId: uuid(random),
    identity: {
      authorization: {
        scope: `/subscriptions/${SUB.toLowerCase()}/resourceGroups/${rg.toLowerCase()}`,
        action: op.toLowerCase(),
        evidence: {
          role: 'Contributor',
          roleAssignmentScope: `/subscriptions/${SUB.toLowerCase()}`,
          roleAssignmentId: uuid(random).replace(/-/g, ''),
          roleDefinitionId: 'b24988ac618042a0ab8820f7382dd24c',
          principalId: uuid(random).replace(/-/g, ''),
          principalType: 'User',
        },
      },
      claims: {
        aud: 'https://management.core.windows.net/',
        iss: 'https://sts.windows.net/0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6/',
        iat: '1741078827',
        nbf: '1741078827',
        exp: '1741082727',
        'http://schemas.microsoft.com/identity/claims/objectidentifier': uuid(random),
        'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn': `user${Math.floor(random() * 500)}@contoso.example`,
        appid: '04b07795-8ddb-461a-bbee-02f9e1bf7b46',
        ipaddr: '198.51.100.23',
        name: 'Some User',
      },
    },
    level: 'Information',
    location: 'global',
    properties: {
      statusCode: 'OK',
      serviceRequestId: null,
      eventCategory: 'Administrative',
      entity: `/subscriptions/${SUB.toLowerCase()}/resourceGroups/${rg.toLowerCase()}`,
      message: op.toLowerCase(),
      hierarchy: `0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6/mg-prod/${SUB.toLowerCase()}`,
    },
    tenantId: '0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6',
  };
}

/**
 * The kube-audit traffic of an idle 10-node AKS cluster running 20 CronJobs every 5 minutes.
 *
 * Event shapes follow real kube-apiserver output: the Falco audit fixtures (falcosecurity/falco,
 * `test/trace_files/k8s_audit`, copied in `../shared/k8s-audit-samples/falco`) for field order,
 * `user.groups` and `RequestResponse` bodies, and audit2rbac's `testdata/demo.log`
 * (liggitt/audit2rbac) for `Metadata`-level reads of about 600 bytes. Neither publishes a whole
 * cluster's mix, so the shares are derived from Kubernetes' default intervals: every kubelet
 * renews its node lease every 10 s (a quarter of the 40 s lease), and each of about eight
 * leader-elected components (kube-controller-manager, kube-scheduler, cloud-controller-manager,
 * AKS add-ons) renews its lease every 2 s, so lease updates are about 5 per second; controllers'
 * and kubelets' get/list/watch about 8; events 1; EndpointSlice updates 0.5; node and pod status
 * 0.3; and each of the 4 Job runs a minute costs the cronjob-controller a Job create and a
 * `cronjobs/status` update and the job-controller three `jobs/status` updates, with the reads of
 * jobs and cronjobs by both controllers among the reads. Those writes carry the literals `jobs`
 * and `cronjobs` and verbs the rule requires; only the system-principal exclusion tells them apart.
 * Lists and watches carry client-go's query strings, whose `&` the API server's Go encoder writes
 * as `\u0026`: most real kube-audit bodies hold such escapes.
 */
const AUDIT_MIX: readonly (readonly [number, AuditKind])[] = [
  [0.33, 'lease'],
  [0.53, 'read'],
  [0.07, 'event'],
  [0.03, 'endpointslice'],
  [0.02, 'status'],
  [0.004, 'job-create'],
  [0.004, 'cronjob-status'],
  [0.012, 'job-status'],
];
type AuditKind =
  'lease' | 'read' | 'event' | 'endpointslice' | 'status' | 'job-create' | 'cronjob-status' | 'job-status';

const NODES = Array.from({ length: 10 }, (_, i) => `aks-nodepool1-31415926-vmss00000${i}`);
const LEADERS = [
  'system:kube-controller-manager',
  'system:kube-scheduler',
  'system:serviceaccount:kube-system:cloud-controller-manager',
  'system:serviceaccount:kube-system:csi-azuredisk-controller-sa',
  'system:serviceaccount:kube-system:csi-azurefile-controller-sa',
  'system:serviceaccount:kube-system:coredns-autoscaler',
  'system:serviceaccount:kube-system:konnectivity-agent',
  'system:serviceaccount:kube-system:metrics-server',
];
const READERS = [
  'system:serviceaccount:kube-system:cronjob-controller',
  'system:serviceaccount:kube-system:job-controller',
  'system:serviceaccount:kube-system:replicaset-controller',
  'system:serviceaccount:kube-system:endpointslice-controller',
  'system:kube-scheduler',
  ...NODES.map((n) => `system:node:${n}`),
];
const READ_RESOURCES: readonly (readonly [string, string])[] = [
  ['pods', ''],
  ['configmaps', ''],
  ['secrets', ''],
  ['nodes', ''],
  ['services', ''],
  ['endpointslices', 'discovery.k8s.io'],
  ['jobs', 'batch'],
  ['cronjobs', 'batch'],
  ['leases', 'coordination.k8s.io'],
];

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)] as T;
}

function kindOf(random: () => number): AuditKind {
  let x = random();
  for (const [share, kind] of AUDIT_MIX) {
    if (x < share) return kind;
    x -= share;
  }
  return 'read';
}

/** What client-go's informers send: a paged list, or a watch with bookmarks and a randomised timeout. */
function readQuery(random: () => number, verb: string): string {
  const version = Math.floor(random() * 1e7);
  if (verb === 'list') return `?limit=500&resourceVersion=${version}`;
  const seconds = 300 + Math.floor(random() * 300);
  return `?allowWatchBookmarks=true&resourceVersion=${version}&timeout=${Math.floor(seconds / 60)}m${seconds % 60}s&timeoutSeconds=${seconds}&watch=true`;
}

/**
 * JSON as the API server writes it: Go's encoding/json escapes `<`, `>` and `&` as `\u003c`,
 * `\u003e` and `\u0026` (kubernetes/kubernetes#126466 shows `?timeout=3s\u0026watch=true`).
 */
function goJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&]/g, (ch) => `\\u00${ch.charCodeAt(0).toString(16)}`);
}

function uri(group: string, namespace: string, resource: string, name: string, sub?: string): string {
  const base = group === '' ? '/api/v1' : `/apis/${group}/v1`;
  return `${base}/namespaces/${namespace}/${resource}${name === '' ? '' : `/${name}`}${sub === undefined ? '' : `/${sub}`}`;
}

function jobObject(random: () => number, name: string, status: boolean): Record<string, unknown> {
  return {
    kind: 'Job',
    apiVersion: 'batch/v1',
    metadata: {
      name,
      namespace: 'reports',
      uid: uuid(random),
      resourceVersion: String(Math.floor(random() * 1e7)),
      labels: { 'batch.kubernetes.io/controller-uid': uuid(random), 'batch.kubernetes.io/job-name': name },
      ownerReferences: [
        {
          apiVersion: 'batch/v1',
          kind: 'CronJob',
          name: 'nightly-report',
          uid: uuid(random),
          controller: true,
        },
      ],
    },
    spec: {
      parallelism: 1,
      completions: 1,
      backoffLimit: 6,
      template: {
        spec: {
          containers: [
            {
              name: 'report',
              image: 'contosoacr.azurecr.io/reports/generator:2.4.1',
              command: ['/app/generate', '--since=24h'],
              resources: { requests: { cpu: '100m', memory: '128Mi' } },
            },
          ],
          restartPolicy: 'OnFailure',
          serviceAccountName: 'reports',
        },
      },
    },
    ...(status
      ? { status: { active: 1, ready: 0, startTime: '2025-03-04T09:15:00Z', uncountedTerminatedPods: {} } }
      : {}),
  };
}

function hitObject(random: () => number): Record<string, unknown> {
  const pod = {
    containers: [{ name: 'c', image: 'alpine:latest', command: ['sh', '-c', 'mkfifo /tmp/f'] }],
    restartPolicy: 'OnFailure',
  };
  return random() < 0.5
    ? {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: 'log-rotate', namespace: 'ops' },
        spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: { spec: pod } } } },
      }
    : {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'backup', namespace: 'ops' },
        spec: { template: { spec: pod } },
      };
}

interface AuditShape {
  verb: string;
  user: string;
  resource: string;
  group: string;
  namespace: string;
  name: string;
  subresource?: string;
  /** The request's query string, as a list or watch sends it (`?limit=500&…`). */
  query?: string;
  level: 'Metadata' | 'RequestResponse';
  code: number;
  userAgent: string;
  request?: Record<string, unknown>;
  response?: Record<string, unknown>;
}

function auditShape(random: () => number, kind: AuditKind | 'hit'): AuditShape {
  const kcm = 'kube-controller-manager/v1.30.2 (linux/amd64) kubernetes/3968350';
  switch (kind) {
    case 'hit': {
      const request = hitObject(random);
      return {
        verb: 'create',
        user: 'mallory@contoso.example',
        resource: request['kind'] === 'Job' ? 'jobs' : 'cronjobs',
        group: 'batch',
        namespace: 'ops',
        name: '',
        level: 'RequestResponse',
        code: 201,
        userAgent: 'kubectl/v1.30.2 (linux/amd64) kubernetes/3968350',
        request,
        response: request,
      };
    }
    case 'lease': {
      const node = random() < 0.2;
      const holder = node ? pick(random, NODES) : pick(random, LEADERS);
      const lease = {
        kind: 'Lease',
        apiVersion: 'coordination.k8s.io/v1',
        metadata: {
          name: holder.replace(/^system:(serviceaccount:kube-system:)?/, ''),
          namespace: node ? 'kube-node-lease' : 'kube-system',
          resourceVersion: String(Math.floor(random() * 1e7)),
        },
        spec: {
          holderIdentity: `${holder}_${uuid(random)}`,
          leaseDurationSeconds: node ? 40 : 15,
          renewTime: '2025-03-04T09:15:27.431220Z',
        },
      };
      return {
        verb: 'update',
        user: node ? `system:node:${holder}` : holder,
        resource: 'leases',
        group: 'coordination.k8s.io',
        namespace: node ? 'kube-node-lease' : 'kube-system',
        name: String(lease.metadata.name),
        level: 'RequestResponse',
        code: 200,
        userAgent: node ? 'kubelet/v1.30.2 (linux/amd64) kubernetes/3968350' : `${kcm}/leader-election`,
        request: lease,
        response: lease,
      };
    }
    case 'read': {
      const [resource, group] = pick(random, READ_RESOURCES);
      const verb = pick(random, ['get', 'get', 'list', 'watch', 'watch']);
      return {
        verb,
        user: pick(random, READERS),
        resource,
        group,
        namespace: pick(random, ['kube-system', 'default', 'reports', 'payments']),
        name: verb === 'get' ? `obj-${Math.floor(random() * 100)}` : '',
        ...(verb === 'get' ? {} : { query: readQuery(random, verb) }),
        level: 'Metadata',
        code: 200,
        userAgent: `${kcm}/shared-informers`,
      };
    }
    case 'event':
      return {
        verb: random() < 0.7 ? 'create' : 'patch',
        user: pick(random, READERS),
        resource: 'events',
        group: '',
        namespace: pick(random, ['kube-system', 'reports', 'payments']),
        name: `obj-${Math.floor(random() * 100)}.17f${Math.floor(random() * 1e6)}`,
        level: 'Metadata',
        code: 201,
        userAgent: kcm,
      };
    case 'endpointslice':
      return {
        verb: 'update',
        user: 'system:serviceaccount:kube-system:endpointslice-controller',
        resource: 'endpointslices',
        group: 'discovery.k8s.io',
        namespace: pick(random, ['kube-system', 'payments']),
        name: `svc-${Math.floor(random() * 20)}-x7k2p`,
        level: 'Metadata',
        code: 200,
        userAgent: kcm,
      };
    case 'status': {
      const node = random() < 0.3;
      return {
        verb: node ? 'patch' : 'update',
        user: `system:node:${pick(random, NODES)}`,
        resource: node ? 'nodes' : 'pods',
        group: '',
        namespace: node ? '' : 'payments',
        name: `obj-${Math.floor(random() * 100)}`,
        subresource: 'status',
        level: 'Metadata',
        code: 200,
        userAgent: 'kubelet/v1.30.2 (linux/amd64) kubernetes/3968350',
      };
    }
    case 'job-create': {
      const job = jobObject(random, `nightly-report-${Math.floor(random() * 1e8)}`, false);
      return {
        verb: 'create',
        user: 'system:serviceaccount:kube-system:cronjob-controller',
        resource: 'jobs',
        group: 'batch',
        namespace: 'reports',
        name: '',
        level: 'RequestResponse',
        code: 201,
        userAgent: `${kcm}/system:serviceaccount:kube-system:cronjob-controller`,
        request: job,
        response: job,
      };
    }
    case 'cronjob-status':
      return {
        verb: 'update',
        user: 'system:serviceaccount:kube-system:cronjob-controller',
        resource: 'cronjobs',
        group: 'batch',
        namespace: 'reports',
        name: 'nightly-report',
        subresource: 'status',
        level: 'RequestResponse',
        code: 200,
        userAgent: `${kcm}/system:serviceaccount:kube-system:cronjob-controller`,
        request: {
          kind: 'CronJob',
          apiVersion: 'batch/v1',
          metadata: { name: 'nightly-report', namespace: 'reports' },
          status: {
            active: [{ kind: 'Job', name: 'nightly-report-28991775' }],
            lastScheduleTime: '2025-03-04T09:15:00Z',
          },
        },
      };
    case 'job-status': {
      const job = jobObject(random, `nightly-report-${Math.floor(random() * 1e8)}`, true);
      return {
        verb: 'update',
        user: 'system:serviceaccount:kube-system:job-controller',
        resource: 'jobs',
        group: 'batch',
        namespace: 'reports',
        name: String((job['metadata'] as { name: string }).name),
        subresource: 'status',
        level: 'RequestResponse',
        code: 200,
        userAgent: `${kcm}/system:serviceaccount:kube-system:job-controller`,
        request: job,
        response: job,
      };
    }
    default:
      return auditShape(random, 'read');
  }
}

function auditRecord(random: () => number, hit: boolean): Record<string, unknown> {
  const s = auditShape(random, hit ? 'hit' : kindOf(random));
  const groups = s.user.startsWith('system:node:')
    ? ['system:nodes', 'system:authenticated']
    : s.user.startsWith('system:serviceaccount:')
      ? ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated']
      : ['system:authenticated'];
  // Field order as the API server writes an audit.k8s.io/v1 Event.
  const event: Record<string, unknown> = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: s.level,
    auditID: uuid(random),
    stage: 'ResponseComplete',
    requestURI: uri(s.group, s.namespace, s.resource, s.name, s.subresource) + (s.query ?? ''),
    verb: s.verb,
    user: { username: s.user, groups },
    sourceIPs: ['10.224.0.4'],
    userAgent: s.userAgent,
    objectRef: {
      resource: s.resource,
      ...(s.namespace === '' ? {} : { namespace: s.namespace }),
      ...(s.name === '' ? {} : { name: s.name }),
      ...(s.group === '' ? {} : { apiGroup: s.group }),
      apiVersion: 'v1',
      ...(s.subresource === undefined ? {} : { subresource: s.subresource }),
    },
    responseStatus: { metadata: {}, code: s.code },
    ...(s.level === 'RequestResponse' && s.request !== undefined ? { requestObject: s.request } : {}),
    ...(s.level === 'RequestResponse' && s.response !== undefined ? { responseObject: s.response } : {}),
    requestReceivedTimestamp: '2025-03-04T09:15:27.431220Z',
    stageTimestamp: '2025-03-04T09:15:27.452918Z',
    annotations: {
      'authorization.k8s.io/decision': 'allow',
      'authorization.k8s.io/reason':
        'RBAC: allowed by ClusterRoleBinding "system:controller" of ClusterRole "system:controller" to ServiceAccount "controller/kube-system"',
    },
  };
  return {
    operationName: 'Microsoft.ContainerService/managedClusters/diagnosticLogs/Read',
    category: 'kube-audit',
    ccpNamespace: '65f1c0d2e3a4b50001c2d3e4',
    resourceId: `/SUBSCRIPTIONS/${SUB}/RESOURCEGROUPS/RG-PAYMENTS-PROD/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/AKS-PAY-WEU-01`,
    properties: {
      log: `${goJson(event)}\n`,
      stream: 'stdout',
      pod: 'kube-apiserver-7c9d8b6f5d-x2k4q',
    },
    time: '2025-03-04T09:15:27.0000000Z',
    Cloud: 'AzureCloud',
    Environment: 'prod',
    UnderlayClass: 'hcp-underlay',
    UnderlayName: 'hcp-underlay-westeurope-cx-101',
  };
}

/** One body: `records` Activity Log or audit records, each a hit with probability `hitRate`. */
export function generateBody(
  random: () => number,
  kind: 'activity' | 'audit',
  records: number,
  hitRate: number,
): { body: Buffer; hits: number } {
  let hits = 0;
  const list = Array.from({ length: records }, () => {
    const hit = random() < hitRate;
    if (hit) hits++;
    return kind === 'activity' ? activityRecord(random, hit) : auditRecord(random, hit);
  });
  return { body: Buffer.from(JSON.stringify({ records: list })), hits };
}

/** One body of about `bytes` bytes (an Event Hub event's worth), for the memory and handler benches. */
export function generateSizedBody(
  random: () => number,
  kind: 'activity' | 'audit',
  bytes: number,
  hitRate: number,
): Buffer {
  const records: string[] = [];
  let size = 13;
  while (size < bytes) {
    const hit = random() < hitRate;
    const record = JSON.stringify(
      kind === 'activity' ? activityRecord(random, hit) : auditRecord(random, hit),
    );
    if (size + record.length + 1 > bytes && records.length > 0) break;
    records.push(record);
    size += record.length + 1;
  }
  return Buffer.from(`{"records":[${records.join(',')}]}`);
}

export function generateStream(options: StreamOptions): GeneratedStream {
  const random = mulberry32(options.seed);
  const bodies: Buffer[] = [];
  let bytes = 0;
  let records = 0;
  let hits = 0;
  while (bytes < options.targetBytes) {
    const kind = bodies.length % 2 === 0 ? 'activity' : 'audit';
    const count = 20;
    const { body, hits: h } = generateBody(random, kind, count, options.hitRate);
    bodies.push(body);
    bytes += body.length;
    records += count;
    hits += h;
  }
  return { bodies, bytes, records, hits };
}
