import { describe, expect, it } from 'vitest';
import type { SourceRecord } from '../../src/sources/source-record.js';
import { aksRecord, auditEvent, openedRecord, podSpec } from '../helpers/audit.js';

/** The pod spec of every pod-bearing kind is read where that kind keeps it. */

const opened = (event: Record<string, unknown>): SourceRecord => openedRecord(aksRecord(event));

const MINER = podSpec({ image: 'docker.io/xmrig/xmrig:6.21', command: ['xmrig', '-o', 'pool.example:3333'] });

/** A body of `kind` with its pod template under spec.template, as apps/v1 writes it. */
const templated = (kind: string) => ({
  apiVersion: 'apps/v1',
  kind,
  metadata: { name: 'node-agent', namespace: 'kube-system' },
  spec: { selector: { matchLabels: { app: 'node-agent' } }, template: { metadata: {}, spec: MINER } },
});

describe('pod-bearing kinds written through apps/v1', () => {
  it.each([
    ['deployments', 'Deployment'],
    ['daemonsets', 'DaemonSet'],
    ['statefulsets', 'StatefulSet'],
    ['replicasets', 'ReplicaSet'],
  ])('a %s write runs the images of its template', (resource, kind) => {
    const facts = opened(auditEvent({ resource, requestObject: templated(kind) })).workload();
    expect([facts?.kind, facts?.images, facts?.commands]).toEqual([
      kind,
      ['docker.io/xmrig/xmrig:6.21'],
      ['xmrig -o pool.example:3333'],
    ]);
  });
});

describe('container lists an attacker pads', () => {
  it('elements that are no object are skipped, the others read', () => {
    const spec = { ...MINER, containers: [null, 'sidecar', 7, ...(MINER['containers'] as unknown[])] };
    const facts = opened(
      auditEvent({ resource: 'pods', requestObject: { apiVersion: 'v1', kind: 'Pod', spec } }),
    ).workload();
    expect([facts?.images, facts?.error]).toEqual([['docker.io/xmrig/xmrig:6.21'], undefined]);
  });
});

describe('the caller address', () => {
  it('is the last source address that is text; others in the list are skipped', () => {
    const event = { ...auditEvent(), sourceIPs: ['198.51.100.4', '203.0.113.7', 42, null] };
    expect(opened(event).context().callerIpAddress).toBe('203.0.113.7');
  });
});

describe('a body the API server left out for size', () => {
  it('the truncating backend says so in an annotation: too big, not "not logged"', () => {
    const event: Record<string, unknown> = {
      ...auditEvent(),
      annotations: { 'audit.k8s.io/truncated': 'true' },
    };
    delete event['requestObject'];
    expect(opened(event).workload()?.body).toBe('too-big');
  });

  it('any other annotation value, or none: not logged', () => {
    const event: Record<string, unknown> = {
      ...auditEvent(),
      annotations: { 'audit.k8s.io/truncated': 'false' },
    };
    delete event['requestObject'];
    expect(opened(event).workload()?.body).toBe('not-logged');
  });
});

describe('a raw apiserver Event of a cluster known by name', () => {
  const CLUSTER =
    '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-aks/providers/Microsoft.ContainerService/managedClusters/aks-prod';

  it('names the cluster, and keys the operation on that name', () => {
    const event = auditEvent({ namespace: 'ops', name: 'log-rotate' });
    const context = openedRecord({
      category: 'kube-audit',
      clusterName: 'K3s-Edge-07',
      properties: { log: event },
    }).context();
    expect([context.cluster, context.clusterName, context.namespace, context.workloadName]).toEqual([
      undefined,
      'K3s-Edge-07',
      'ops',
      'log-rotate',
    ]);
    expect(context.operationKey).toBe(`${String(event['auditID'])}|k3s-edge-07`);
  });

  it('an ARM id wins over a name', () => {
    const context = openedRecord({
      category: 'kube-audit',
      resourceId: CLUSTER,
      clusterName: 'other',
      properties: { log: auditEvent() },
    }).context();
    expect(context.clusterName).toBeUndefined();
    expect(context.cluster?.name).toBe('aks-prod');
  });
});
