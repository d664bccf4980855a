import { describe, expect, it } from 'vitest';
import { parseClusterId, parseClusterIdPreferringCase } from '../../src/sources/resource-id.js';

const EXPORTED =
  '/SUBSCRIPTIONS/3F2A9C10-5B7E-4D21-9A44-0C1D2E3F4A5B/RESOURCEGROUPS/RG-PAY/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/AKS-PAY-01';
const CASED =
  '/subscriptions/3f2a9c10-5b7e-4d21-9a44-0c1d2e3f4a5b/resourceGroups/rg-pay/providers/Microsoft.ContainerService/managedClusters/aks-pay-01';

describe('cluster resource ids', () => {
  it('parse case-insensitively into a lower-case key, keeping the group and name as written', () => {
    expect(parseClusterId(` ${EXPORTED}\n`)).toEqual({
      resourceId: CASED.toLowerCase(),
      subscriptionId: '3f2a9c10-5b7e-4d21-9a44-0c1d2e3f4a5b',
      resourceGroup: 'RG-PAY',
      name: 'AKS-PAY-01',
      kind: 'ManagedCluster',
    });
  });

  it('name the cluster of a resource below it, and Arc-connected clusters', () => {
    expect(parseClusterId(`${CASED}/agentPools/nodepool1`)?.name).toBe('aks-pay-01');
    expect(
      parseClusterId(
        '/subscriptions/3f2a9c10-5b7e-4d21-9a44-0c1d2e3f4a5b/resourceGroups/rg-edge/providers/Microsoft.Kubernetes/connectedClusters/edge-01',
      ),
    ).toMatchObject({ kind: 'ConnectedCluster', name: 'edge-01', resourceGroup: 'rg-edge' });
  });

  it('are no cluster when they name another resource type, are cut short or are no string', () => {
    expect(
      [
        '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1',
        '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters',
        '/subscriptions/s/providers/Microsoft.ContainerService/managedClusters/aks',
        `x${CASED}`,
        '/subscriptions/s/resourceGroups/rg/providers/constructor/constructor/aks',
        7,
        undefined,
      ].map(parseClusterId),
    ).toEqual([undefined, undefined, undefined, undefined, undefined, undefined, undefined]);
  });

  it('prefer the id whose case survived when both name the same cluster', () => {
    expect(parseClusterIdPreferringCase(EXPORTED, CASED)?.name).toBe('aks-pay-01');
    expect(parseClusterIdPreferringCase(undefined, CASED)?.name).toBe('aks-pay-01');
    expect(parseClusterIdPreferringCase(EXPORTED, CASED.replace('aks-pay-01', 'aks-other'))?.name).toBe(
      'AKS-PAY-01',
    );
    expect(parseClusterIdPreferringCase(EXPORTED, undefined)?.name).toBe('AKS-PAY-01');
    expect(parseClusterIdPreferringCase('x', 'y')).toBeUndefined();
  });
});
