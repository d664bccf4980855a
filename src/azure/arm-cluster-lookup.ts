import { ContainerServiceClient, type ManagedCluster } from '@azure/arm-containerservice';
import { ConnectedKubernetesClient, type ConnectedCluster } from '@azure/arm-hybridkubernetes';
import type { TokenCredential } from '@azure/core-auth';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import type { ClusterLookup, ClusterMetadata, LookupResult } from '../enrich/cluster-lookup.js';
import type { ClusterRef } from '../sources/resource-id.js';
import { scalarText } from '../util/scalar-text.js';

export interface ArmLookupOptions {
  readonly credential: TokenCredential;
  /** ARM endpoint, e.g. https://management.azure.com (sovereign clouds differ). */
  readonly endpoint: string;
  /** Extra pipeline policies (tests add TLS trust for their local server). */
  readonly additionalPolicies?: readonly PipelinePolicy[];
}

/**
 * Looks clusters up through ARM with the Azure SDK clients: AKS with `@azure/arm-containerservice`,
 * Arc with `@azure/arm-hybridkubernetes`. SDK retries are off: the enricher owns retry timing, so
 * a 429's Retry-After is honoured only within the invocation's budget.
 */
export class ArmClusterLookup implements ClusterLookup {
  private readonly managed = new Map<string, ContainerServiceClient>();
  private readonly connected = new Map<string, ConnectedKubernetesClient>();

  constructor(private readonly options: ArmLookupOptions) {}

  async lookup(cluster: ClusterRef, signal: AbortSignal): Promise<LookupResult> {
    try {
      if (cluster.kind === 'ManagedCluster') {
        const found = await this.managedClient(cluster.subscriptionId).managedClusters.get(
          cluster.resourceGroup,
          cluster.name,
          { abortSignal: signal },
        );
        return { status: 'ok', metadata: managedClusterMetadata(found) };
      }
      const found = await this.connectedClient(cluster.subscriptionId).connectedClusterOperations.get(
        cluster.resourceGroup,
        cluster.name,
        { abortSignal: signal },
      );
      return { status: 'ok', metadata: connectedClusterMetadata(found) };
    } catch (error) {
      return lookupFailure(error);
    }
  }

  private managedClient(subscriptionId: string): ContainerServiceClient {
    let client = this.managed.get(subscriptionId);
    if (client === undefined) {
      client = new ContainerServiceClient(this.options.credential, subscriptionId, {
        endpoint: this.options.endpoint,
        credentials: { scopes: [`${ARM_AUDIENCE}/.default`] },
        retryOptions: { maxRetries: 0 },
        additionalPolicies: (this.options.additionalPolicies ?? []).map((policy) => ({
          policy,
          position: 'perCall' as const,
        })),
      });
      this.managed.set(subscriptionId, client);
    }
    return client;
  }

  private connectedClient(subscriptionId: string): ConnectedKubernetesClient {
    let client = this.connected.get(subscriptionId);
    if (client === undefined) {
      client = new ConnectedKubernetesClient(this.options.credential, subscriptionId, {
        endpoint: this.options.endpoint,
        // This client derives its token scope from the endpoint unless told otherwise.
        credentialScopes: [`${ARM_AUDIENCE}/.default`],
        retryOptions: { maxRetries: 0 },
        additionalPolicies: (this.options.additionalPolicies ?? []).map((policy) => ({
          policy,
          position: 'perCall' as const,
        })),
      });
      this.connected.set(subscriptionId, client);
    }
    return client;
  }
}

/** The token audience of Azure Resource Manager in the public cloud. */
const ARM_AUDIENCE = 'https://management.azure.com';

function lookupFailure(error: unknown): LookupResult {
  const status =
    typeof error === 'object' && error !== null ? (error as { statusCode?: unknown }).statusCode : undefined;
  const message = error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : String(error);
  if (status === 404) return { status: 'not-found', message: `ARM 404: ${message}` };
  if (status === 429)
    return { status: 'throttled', retryAfterMs: retryAfterMs(error), message: `ARM 429: ${message}` };
  return {
    status: 'error',
    message: status === undefined ? message : `ARM ${scalarText(status) ?? 'status'}: ${message}`,
  };
}

function retryAfterMs(error: unknown): number | undefined {
  const headers = (error as { response?: { headers?: { get(name: string): string | undefined } } }).response
    ?.headers;
  const value = headers?.get('retry-after');
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function managedClusterMetadata(cluster: ManagedCluster): ClusterMetadata {
  const defender = cluster.securityProfile?.defender;
  return compact({
    provider: 'Microsoft.ContainerService/managedClusters',
    name: cluster.name,
    location: cluster.location,
    kubernetesVersion: cluster.currentKubernetesVersion ?? cluster.kubernetesVersion,
    tags: cluster.tags,
    sku: cluster.sku === undefined ? undefined : { name: cluster.sku.name, tier: cluster.sku.tier },
    privateCluster: cluster.apiServerAccessProfile?.enablePrivateCluster ?? false,
    authorizedIpRanges: cluster.apiServerAccessProfile?.authorizedIPRanges,
    localAccountsDisabled: cluster.disableLocalAccounts ?? false,
    kubernetesRbac: cluster.enableRbac,
    entraIntegration: cluster.aadProfile?.managed ?? false,
    azureRbac: cluster.aadProfile?.enableAzureRbac ?? false,
    defenderEnabled: defender?.securityMonitoring?.enabled ?? false,
    nodeResourceGroup: cluster.nodeResourceGroup,
    provisioningState: cluster.provisioningState,
    powerState: cluster.powerState?.code,
  });
}

function connectedClusterMetadata(cluster: ConnectedCluster): ClusterMetadata {
  return compact({
    provider: 'Microsoft.Kubernetes/connectedClusters',
    name: cluster.name,
    location: cluster.location,
    kubernetesVersion: cluster.kubernetesVersion,
    tags: cluster.tags,
    distribution: cluster.distribution,
    infrastructure: cluster.infrastructure,
    agentVersion: cluster.agentVersion,
    connectivityStatus: cluster.connectivityStatus,
    lastConnectivityTime: cluster.lastConnectivityTime?.toISOString(),
    totalNodeCount: cluster.totalNodeCount,
    provisioningState: cluster.provisioningState,
  });
}

function compact(record: Record<string, unknown>): ClusterMetadata {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}
