/** The parts of an ARM resource id, parsed case-insensitively (exports upper-case them). */
export interface ClusterRef {
  /** Lower-cased canonical id, the key for grouping, enrichment caching and finding ids. */
  readonly resourceId: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly name: string;
  readonly kind: 'ManagedCluster' | 'ConnectedCluster';
}

/** Keyed by text from the record, so a Map rather than an object literal. */
const CLUSTER_TYPES: ReadonlyMap<string, ClusterRef['kind']> = new Map([
  ['microsoft.containerservice/managedclusters', 'ManagedCluster'],
  ['microsoft.kubernetes/connectedclusters', 'ConnectedCluster'],
]);

const CLUSTER_ID =
  /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\/providers\/([^/]+\/[^/]+)\/([^/]+)(?:\/|$)/i;

export function parseClusterId(resourceId: unknown): ClusterRef | undefined {
  if (typeof resourceId !== 'string') return undefined;
  const match = CLUSTER_ID.exec(resourceId.trim());
  if (match === null) return undefined;
  const [, subscription, group, type, name] = match as unknown as [string, string, string, string, string];
  const kind = CLUSTER_TYPES.get(type.toLowerCase());
  if (kind === undefined) return undefined;
  return {
    resourceId:
      `/subscriptions/${subscription}/resourcegroups/${group}/providers/${type}/${name}`.toLowerCase(),
    subscriptionId: subscription.toLowerCase(),
    resourceGroup: group,
    name,
    kind,
  };
}

/** Prefers a second id of the same resource whose case survived (the Activity Log `authorization.scope`). */
export function parseClusterIdPreferringCase(primary: unknown, original: unknown): ClusterRef | undefined {
  const parsed = parseClusterId(primary);
  const cased = parseClusterId(original);
  if (parsed === undefined) return cased;
  if (cased !== undefined && cased.resourceId === parsed.resourceId) return cased;
  return parsed;
}
