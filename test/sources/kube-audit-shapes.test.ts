import { describe, expect, it } from 'vitest';
import { kubeAuditSource } from '../../src/sources/kube-audit/source.js';
import { aksAuditRowShape } from '../../src/sources/kube-audit/shapes/aks-audit-row.js';
import { apiserverEventShape, checkClusterId } from '../../src/sources/kube-audit/shapes/apiserver-event.js';
import { azureDiagnosticsRowShape } from '../../src/sources/kube-audit/shapes/azure-diagnostics-row.js';
import { rowsToRecords, shapeEnvelope } from '../../src/sources/shapes.js';
import { auditEvent } from '../helpers/audit.js';

/** Each kube-audit shape converted to the export's record, column by column, as the tables hold them. */

const CLUSTER =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-aks/providers/Microsoft.ContainerService/managedClusters/aks-prod';

const EVENT = auditEvent();

/** An `AKSAudit` row as a Log Analytics query returns it: dynamic columns as JSON text or objects. */
function aksAuditRow(type: string | undefined): Record<string, unknown> {
  return {
    ...(type === undefined ? {} : { Type: type }),
    TenantId: '11111111-1111-1111-1111-111111111111',
    TimeGenerated: '2025-03-04T09:15:27.5Z',
    Level: 'RequestResponse',
    AuditId: 'c5f8f1a3-6f0a-4b7e-9d1e-2a7c3b9e4f10',
    Stage: 'ResponseComplete',
    RequestUri: '/apis/batch/v1/namespaces/ops/cronjobs',
    Verb: 'create',
    User: JSON.stringify({ username: 'mallory@contoso.example', groups: ['devs'] }),
    SourceIps: ['203.0.113.7'],
    UserAgent: 'kubectl/v1.30.0',
    ObjectRef: { resource: 'cronjobs', namespace: 'ops', name: 'log-rotate', apiGroup: 'batch' },
    ResponseStatus: '{"code":201}',
    RequestObject: { kind: 'CronJob' },
    ResponseObject: 'skipped-too-big-size-object',
    RequestReceivedTime: '2025-03-04T09:15:27.431220Z',
    StageReceivedTime: new Date('2025-03-04T09:15:27.441Z'),
    Annotations: { 'authorization.k8s.io/decision': 'allow' },
    PodName: 'kube-apiserver-7d9f',
    _ResourceId: CLUSTER,
  };
}

describe('AKSAudit / AKSAuditAdmin rows', () => {
  it('are recognised by their AuditId', () => {
    expect(aksAuditRowShape.recognise(aksAuditRow('AKSAudit'))).toBe(true);
    expect(aksAuditRowShape.recognise({ ...aksAuditRow('AKSAudit'), AuditId: 7 })).toBe(false);
    expect([aksAuditRowShape.id, aksAuditRowShape.source, aksAuditRowShape.marker]).toEqual([
      'aks-audit-row',
      'KubeAudit',
      '"AuditId"',
    ]);
    expect(aksAuditRowShape.name).toBe('AKSAudit / AKSAuditAdmin table row');
  });

  it('rebuild the audit Event under its own field names, in the export envelope', () => {
    expect(aksAuditRowShape.toSourceRecord(aksAuditRow('AKSAudit'), {})).toEqual({
      category: 'kube-audit',
      resourceId: CLUSTER,
      time: '2025-03-04T09:15:27.5Z',
      properties: {
        log: {
          kind: 'Event',
          apiVersion: 'audit.k8s.io/v1',
          level: 'RequestResponse',
          auditID: 'c5f8f1a3-6f0a-4b7e-9d1e-2a7c3b9e4f10',
          stage: 'ResponseComplete',
          requestURI: '/apis/batch/v1/namespaces/ops/cronjobs',
          verb: 'create',
          user: { username: 'mallory@contoso.example', groups: ['devs'] },
          sourceIPs: ['203.0.113.7'],
          userAgent: 'kubectl/v1.30.0',
          objectRef: { resource: 'cronjobs', namespace: 'ops', name: 'log-rotate', apiGroup: 'batch' },
          responseStatus: { code: 201 },
          requestObject: { kind: 'CronJob' },
          responseObject: 'skipped-too-big-size-object',
          requestReceivedTimestamp: '2025-03-04T09:15:27.431220Z',
          stageTimestamp: '2025-03-04T09:15:27.441Z',
          annotations: { 'authorization.k8s.io/decision': 'allow' },
        },
        pod: 'kube-apiserver-7d9f',
      },
    });
  });

  it('the table names the category: AKSAudit is kube-audit, any other kube-audit-admin', () => {
    const category = (type: string | undefined) =>
      aksAuditRowShape.toSourceRecord(aksAuditRow(type), {})['category'];
    expect([
      category('AKSAudit'),
      category('aksaudit'),
      category('AKSAuditAdmin'),
      category(undefined),
    ]).toEqual(['kube-audit', 'kube-audit', 'kube-audit-admin', 'kube-audit-admin']);
  });
});

describe('raw apiserver audit Events', () => {
  it.each([
    [EVENT, true],
    [{ ...EVENT, kind: 'EventList' }, false],
    [{ ...EVENT, apiVersion: 'v1' }, false],
    [{ ...EVENT, apiVersion: 1 }, false],
    [{ ...EVENT, auditID: undefined }, false],
    [{ ...EVENT, apiVersion: 'audit.k8s.io/v1beta1' }, true],
  ])('%# recognised: %s', (record, expected) => {
    expect(apiserverEventShape.recognise(record)).toBe(expected);
  });

  it('names itself', () => {
    expect([apiserverEventShape.id, apiserverEventShape.source, apiserverEventShape.marker]).toEqual([
      'apiserver-event',
      'KubeAudit',
      '"auditID"',
    ]);
    expect(apiserverEventShape.name).toBe('Kubernetes audit Event (apiserver log or webhook EventList)');
  });

  it('an ARM cluster id fills resourceId, as the export does; the stage time is the record time', () => {
    expect(apiserverEventShape.toSourceRecord(EVENT, { clusterId: ` ${CLUSTER} ` })).toEqual({
      category: 'kube-audit',
      resourceId: CLUSTER,
      time: EVENT['stageTimestamp'],
      properties: { log: EVENT },
    });
  });

  it('a bare name is the cluster name; none, or a blank one, is "unknown"', () => {
    expect(apiserverEventShape.toSourceRecord(EVENT, { clusterId: 'k3s-edge-07' })['clusterName']).toBe(
      'k3s-edge-07',
    );
    expect(apiserverEventShape.toSourceRecord(EVENT, {})['clusterName']).toBe('unknown');
    expect(apiserverEventShape.toSourceRecord(EVENT, { clusterId: '   ' })['clusterName']).toBe('unknown');
  });

  it('without a stage time, the time the request was received', () => {
    const event = { ...EVENT, stageTimestamp: undefined };
    expect(apiserverEventShape.toSourceRecord(event, {})['time']).toBe(EVENT['requestReceivedTimestamp']);
  });

  it('checkClusterId: empty, not a cluster id, or usable', () => {
    expect(checkClusterId('  ')).toBe('--cluster-id is empty');
    expect(checkClusterId('')).toBe('--cluster-id is empty');
    expect(checkClusterId('/subscriptions/x/resourceGroups/y')).toBe(
      '--cluster-id "/subscriptions/x/resourceGroups/y" is not the ARM id of a managed or connected cluster (…/providers/Microsoft.ContainerService/managedClusters/<name> or …/Microsoft.Kubernetes/connectedClusters/<name>), nor a bare name',
    );
    expect(checkClusterId(`/${'x'.repeat(300)}`)).toContain(`"/${'x'.repeat(199)}" is not`);
    expect(checkClusterId(CLUSTER)).toBeUndefined();
    expect(checkClusterId('k3s-edge-07')).toBeUndefined();
  });
});

describe('AzureDiagnostics kube-audit rows', () => {
  const row = {
    Category: 'KUBE-AUDIT-ADMIN',
    log_s: `${JSON.stringify(EVENT)}\n`,
    pod_s: 'kube-apiserver-7d9f',
    stream_s: 'stdout',
    TimeGenerated: '2025-03-04T09:15:27.5Z',
    ResourceId: CLUSTER,
  };

  it('are recognised by a log_s text and an audit category', () => {
    expect(azureDiagnosticsRowShape.recognise(row)).toBe(true);
    expect(azureDiagnosticsRowShape.recognise({ ...row, Category: 'kube-audit' })).toBe(true);
    expect(azureDiagnosticsRowShape.recognise({ ...row, Category: 'kube-apiserver' })).toBe(false);
    expect(azureDiagnosticsRowShape.recognise({ ...row, Category: 5 })).toBe(false);
    expect(azureDiagnosticsRowShape.recognise({ ...row, log_s: EVENT })).toBe(false);
    expect([
      azureDiagnosticsRowShape.id,
      azureDiagnosticsRowShape.source,
      azureDiagnosticsRowShape.name,
    ]).toEqual(['azure-diagnostics-row', 'KubeAudit', 'AzureDiagnostics kube-audit row']);
  });

  it('keep the Event as text, in the export envelope', () => {
    expect(azureDiagnosticsRowShape.toSourceRecord(row, {})).toEqual({
      category: 'kube-audit-admin',
      resourceId: CLUSTER,
      time: '2025-03-04T09:15:27.5Z',
      properties: { log: row.log_s, pod: 'kube-apiserver-7d9f', stream: 'stdout' },
    });
  });

  it('take the resource id from _ResourceId when ResourceId is absent', () => {
    const { ResourceId: _, ...rest } = row;
    expect(azureDiagnosticsRowShape.toSourceRecord({ ...rest, _ResourceId: CLUSTER }, {})['resourceId']).toBe(
      CLUSTER,
    );
  });
});

describe('the kube-audit shapes, in the order they are tried', () => {
  it('the export, then the converted rows and Events', () => {
    expect(kubeAuditSource.shapes.map((s) => s.id)).toEqual([
      'diagnostic-export',
      'aks-audit-row',
      'azure-diagnostics-row',
      'apiserver-event',
    ]);
    expect(kubeAuditSource.shapes[0]?.description).toBe(
      'AKS kube-audit/kube-audit-admin resource log from diagnostic settings (properties.log)',
    );
  });

  it('the export is recognised by an audit category, in any case', () => {
    const [exported] = kubeAuditSource.shapes;
    expect(
      ['kube-audit', 'KUBE-AUDIT-ADMIN', 'kube-apiserver', 5].map((category) =>
        exported?.recognise({ category }),
      ),
    ).toEqual([true, true, false, false]);
  });

  it('scans the Event fields that decide most records, the one with the most distinct values first', () => {
    expect(kubeAuditSource.prefilter.embedded?.scanFields).toEqual([
      { name: 'objectRef.resource', leaf: 'resource' },
      { name: 'verb', leaf: 'verb' },
      { name: 'objectRef.subresource', leaf: 'subresource' },
      { name: 'user.username', leaf: 'username' },
    ]);
  });
});

describe('containers of shaped records', () => {
  it('a webhook EventList: its items', () => {
    expect(shapeEnvelope({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: [EVENT] })).toEqual([
      EVENT,
    ]);
    expect(shapeEnvelope({ kind: 'EventList', items: 'none' })).toBeUndefined();
    expect(shapeEnvelope({ kind: 'List', items: [EVENT] })).toBeUndefined();
  });

  it('a query API answer: the rows of every table as records', () => {
    const answer = {
      tables: [
        {
          name: 'PrimaryResult',
          columns: [{ name: 'AuditId' }, { name: 'Verb' }],
          rows: [['a-1', 'create']],
        },
        {
          name: 'Second',
          columns: [{ name: 'AuditId', type: 'string' }],
          rows: [['a-2'], { AuditId: 'a-3' }],
        },
      ],
    };
    expect(shapeEnvelope(answer)).toEqual([
      { AuditId: 'a-1', Verb: 'create' },
      { AuditId: 'a-2' },
      { AuditId: 'a-3' },
    ]);
  });

  it.each([
    ['a table without rows', [{ columns: [{ name: 'a' }] }]],
    ['a table without columns', [{ rows: [] }]],
    ['a column without a name', [{ columns: [{ name: 'a' }, { type: 'string' }], rows: [] }]],
    ['a column that is no object', [{ columns: ['a'], rows: [] }]],
    ['a table that is no object', [{ columns: [{ name: 'a' }], rows: [] }, 'table']],
  ])('is no answer with %s', (_, tables) => {
    expect(shapeEnvelope({ tables })).toBeUndefined();
  });

  it('rowsToRecords keys each cell by its column, any name as data', () => {
    const [record] = rowsToRecords([{ name: '__proto__' }, { name: 'Verb' }], [['x', 'create']]) as Record<
      string,
      unknown
    >[];
    expect(Object.hasOwn(record ?? {}, '__proto__')).toBe(true);
    expect(record?.['Verb']).toBe('create');
  });
});
