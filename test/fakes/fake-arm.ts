import { FakeHttpsServer, type FakeRequest, type FakeResponse } from './https-fake.js';
import type { TestCertificate } from './tls.js';
import { TEST_TOKEN } from './fake-ingestion.js';

const CLUSTER_PATH =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/(Microsoft\.ContainerService\/managedClusters|Microsoft\.Kubernetes\/connectedClusters)\/([^/]+)$/i;

/** Azure Resource Manager for cluster GETs: resources by id, ARM's 404 body, api-version and token checks. */
export class FakeArm {
  readonly violations: string[] = [];
  private readonly resources = new Map<string, Record<string, unknown>>();

  private constructor(readonly server: FakeHttpsServer) {}

  static async start(certificate: TestCertificate): Promise<FakeArm> {
    const holder: { fake?: FakeArm } = {};
    const server = await FakeHttpsServer.start(
      certificate,
      (request) => holder.fake?.answer(request) ?? { status: 500 },
    );
    holder.fake = new FakeArm(server);
    return holder.fake;
  }

  get url(): string {
    return this.server.url;
  }

  /** Lookups of this cluster, case-insensitively by path. */
  lookupsOf(resourceId: string): number {
    return this.server.requests.filter((r) => r.url.pathname.toLowerCase() === resourceId.toLowerCase())
      .length;
  }

  add(resource: Record<string, unknown>): void {
    this.resources.set(String(resource['id']).toLowerCase(), resource);
  }

  private answer(request: FakeRequest): FakeResponse {
    if (request.headers.authorization !== `Bearer ${TEST_TOKEN}`)
      this.violations.push(`authorization ${String(request.headers.authorization)}`);
    if (!/^\d{4}-\d{2}-\d{2}(-preview)?$/.test(request.url.searchParams.get('api-version') ?? ''))
      this.violations.push(`api-version ${String(request.url.searchParams.get('api-version'))}`);
    if (request.method !== 'GET' || !CLUSTER_PATH.test(request.url.pathname)) {
      this.violations.push(`unexpected ${request.method} ${request.url.pathname}`);
      return { status: 400, body: { error: { code: 'InvalidRequest', message: 'unexpected request' } } };
    }
    const resource = this.resources.get(request.url.pathname.toLowerCase());
    if (resource === undefined) {
      return {
        status: 404,
        body: {
          error: {
            code: 'ResourceNotFound',
            message: `The Resource '${request.url.pathname}' was not found.`,
          },
        },
      };
    }
    return { status: 200, body: resource };
  }
}

export function managedClusterResource(
  id: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const name = id.split('/').pop();
  return {
    id,
    name,
    type: 'Microsoft.ContainerService/ManagedClusters',
    location: 'westeurope',
    tags: { env: 'prod', owner: 'payments' },
    sku: { name: 'Base', tier: 'Standard' },
    identity: {
      type: 'SystemAssigned',
      principalId: '11111111-2222-3333-4444-555555555555',
      tenantId: '0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6',
    },
    properties: {
      provisioningState: 'Succeeded',
      powerState: { code: 'Running' },
      kubernetesVersion: '1.30',
      currentKubernetesVersion: '1.30.6',
      dnsPrefix: `${String(name)}-dns`,
      fqdn: `${String(name)}-dns-abc123.hcp.westeurope.azmk8s.io`,
      enableRBAC: true,
      disableLocalAccounts: true,
      aadProfile: { managed: true, enableAzureRBAC: true, tenantID: '0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6' },
      apiServerAccessProfile: { enablePrivateCluster: false, authorizedIPRanges: ['198.51.100.0/24'] },
      securityProfile: {
        defender: {
          logAnalyticsWorkspaceResourceId:
            '/subscriptions/x/resourceGroups/y/providers/Microsoft.OperationalInsights/workspaces/z',
          securityMonitoring: { enabled: true },
        },
      },
      nodeResourceGroup: `MC_rg_${String(name)}_westeurope`,
      ...overrides,
    },
  };
}

export function connectedClusterResource(id: string): Record<string, unknown> {
  return {
    id,
    name: id.split('/').pop(),
    type: 'Microsoft.Kubernetes/connectedClusters',
    location: 'westeurope',
    tags: { site: 'store-117' },
    identity: { type: 'SystemAssigned' },
    properties: {
      agentPublicKeyCertificate: 'MIICYzCCAcygAwIBAgIBADANBgkqhkiG9w0BAQUFADAu',
      kubernetesVersion: '1.29.4',
      totalNodeCount: 3,
      totalCoreCount: 12,
      agentVersion: '1.21.10',
      provisioningState: 'Succeeded',
      distribution: 'k3s',
      infrastructure: 'generic',
      offering: 'k3s',
      connectivityStatus: 'Connected',
      lastConnectivityTime: '2025-03-04T10:58:00Z',
    },
  };
}
