/**
 * A deterministic, realistic mixed stream of Event Hub bodies: Activity Log bodies of 20 records
 * and AKS kube-audit bodies dominated by controller reads, with a small share of CronJob/Job
 * writes that the bundled rules flag.
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

const CONTROLLERS = [
  'system:serviceaccount:kube-system:cronjob-controller',
  'system:serviceaccount:kube-system:job-controller',
  'system:serviceaccount:kube-system:replicaset-controller',
  'system:kube-scheduler',
  'system:node:aks-nodepool1-31415926-vmss000001',
];
const READ_RESOURCES = [
  'pods',
  'configmaps',
  'endpoints',
  'nodes',
  'services',
  'secrets',
  'cronjobs',
  'jobs',
];
/** What writes to an AKS API server mostly are: leader-election leases, events, status updates. */
const WRITES: readonly [number, string, string, string | undefined][] = [
  [0.5, 'update', 'leases', undefined],
  [0.7, 'create', 'events', undefined],
  [0.85, 'patch', 'nodes', 'status'],
  [0.93, 'update', 'pods', 'status'],
  [0.98, 'update', 'configmaps', undefined],
  [0.99, 'update', 'jobs', 'status'],
  [1, 'update', 'cronjobs', 'status'],
];
const FIRST_WRITE = WRITES[0] as [number, string, string, string | undefined];

function auditRecord(random: () => number, hit: boolean): Record<string, unknown> {
  const write = hit || random() < 0.2;
  const pick = random();
  const [, writeVerb, writeResource, subresource] = WRITES.find(([p]) => pick < p) ?? FIRST_WRITE;
  const resource = hit
    ? random() < 0.5
      ? 'cronjobs'
      : 'jobs'
    : write
      ? writeResource
      : (READ_RESOURCES[Math.floor(random() * READ_RESOURCES.length)] as string);
  const verb = hit
    ? 'create'
    : write
      ? writeVerb
      : (['get', 'list', 'watch'][Math.floor(random() * 3)] as string);
  const event: Record<string, unknown> = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: write ? 'RequestResponse' : 'Metadata',
    auditID: uuid(random),
    stage: 'ResponseComplete',
    requestURI: `/api/v1/namespaces/kube-system/${resource}/obj-${Math.floor(random() * 100)}${!hit && subresource !== undefined ? `/${subresource}` : ''}`,
    verb,
    user: {
      username: hit ? 'mallory@contoso.example' : CONTROLLERS[Math.floor(random() * CONTROLLERS.length)],
      groups: ['system:authenticated'],
    },
    sourceIPs: ['10.224.0.4'],
    userAgent: 'kube-controller-manager/v1.30.2 (linux/amd64) kubernetes/3968350/shared-informers',
    objectRef: {
      resource,
      namespace: 'kube-system',
      name: `obj-${Math.floor(random() * 100)}`,
      apiVersion: 'v1',
      ...(!hit && write && subresource !== undefined ? { subresource } : {}),
    },
    responseStatus: { metadata: {}, code: 200 },
    requestReceivedTimestamp: '2025-03-04T09:15:27.431220Z',
    stageTimestamp: '2025-03-04T09:15:27.452918Z',
    annotations: {
      'authorization.k8s.io/decision': 'allow',
      'authorization.k8s.io/reason':
        'RBAC: allowed by ClusterRoleBinding "system:controller" of ClusterRole "system:controller" to ServiceAccount "controller/kube-system"',
    },
  };
  if (write) {
    event['requestObject'] = hit
      ? {
          apiVersion: 'batch/v1',
          kind: 'CronJob',
          metadata: { name: 'x' },
          spec: {
            schedule: '* * * * *',
            jobTemplate: {
              spec: {
                template: {
                  spec: {
                    containers: [
                      { name: 'c', image: 'alpine:latest', command: ['sh', '-c', 'mkfifo /tmp/f'] },
                    ],
                  },
                },
              },
            },
          },
        }
      : {
          kind: 'Lease',
          apiVersion: 'coordination.k8s.io/v1',
          metadata: {
            name: 'kube-controller-manager',
            namespace: 'kube-system',
            resourceVersion: String(Math.floor(random() * 1e6)),
          },
          spec: {
            holderIdentity: 'aks-control-plane_1a2b3c',
            leaseDurationSeconds: 15,
            renewTime: '2025-03-04T09:15:27.431220Z',
          },
        };
  }
  return {
    operationName: 'Microsoft.ContainerService/managedClusters/diagnosticLogs/Read',
    category: 'kube-audit',
    ccpNamespace: '65f1c0d2e3a4b50001c2d3e4',
    resourceId: `/SUBSCRIPTIONS/${SUB}/RESOURCEGROUPS/RG-PAYMENTS-PROD/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/AKS-PAY-WEU-01`,
    properties: {
      log: `${JSON.stringify(event)}\n`,
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
