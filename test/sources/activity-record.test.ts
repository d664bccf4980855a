import { describe, expect, it } from 'vitest';
import { fieldPath } from '../../src/sigma/field-path.js';
import { activityRecord as openActivityRecord } from '../../src/sources/activity-log/activity-record.js';
import { activityLogSource } from '../../src/sources/activity-log/source.js';
import { activityRecord } from '../helpers/detector.js';

const CRONJOB_WRITE = 'MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/CRONJOBS/WRITE';
const UPN = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn';
const NAME = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name';
const EMAIL = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress';
const OID = 'http://schemas.microsoft.com/identity/claims/objectidentifier';
const SCOPE =
  '/subscriptions/3f2a9c10-5b7e-4d21-9a44-0c1d2e3f4a5b/resourceGroups/rg-pay/providers/Microsoft.ContainerService/managedClusters/aks-pay-01';

/** An export record whose identity holds only the given claims and authorization evidence. */
function withIdentity(claims: Record<string, unknown>, evidence?: Record<string, unknown>) {
  return activityRecord(CRONJOB_WRITE, {
    identity: {
      authorization: { scope: SCOPE, action: CRONJOB_WRITE, ...(evidence === undefined ? {} : { evidence }) },
      claims,
    },
  });
}

const contextOf = (record: Record<string, unknown>) => openActivityRecord(record).context();
const field = (record: Record<string, unknown>, name: string) =>
  openActivityRecord(record).document.get(fieldPath(name));

describe('Activity Log record context', () => {
  it('reads every column of a diagnostic-settings export record', () => {
    expect(contextOf(activityRecord(CRONJOB_WRITE))).toEqual({
      times: [{ clock: 'time', value: '2025-03-04T09:15:27.4410532Z' }],
      sourceRecordId: '6b0f3c2e-8d41-4a7e-b1c9-2f5e7a90d314',
      operation: CRONJOB_WRITE,
      resultType: 'Success',
      cluster: {
        resourceId: SCOPE.toLowerCase(),
        subscriptionId: '3f2a9c10-5b7e-4d21-9a44-0c1d2e3f4a5b',
        resourceGroup: 'rg-pay',
        name: 'aks-pay-01',
        kind: 'ManagedCluster',
      },
      namespace: undefined,
      workloadKind: 'CronJob',
      workloadName: undefined,
      caller: 'mallory@contoso.example',
      callerObjectId: 'c4d5e6f7-0819-4a2b-9c3d-4e5f6a7b8c9d',
      callerIpAddress: '198.51.100.23',
      principals: ['mallory@contoso.example', 'c4d5e6f7-0819-4a2b-9c3d-4e5f6a7b8c9d'],
      operationKey: `6b0f3c2e-8d41-4a7e-b1c9-2f5e7a90d314|${CRONJOB_WRITE}|${SCOPE.toLowerCase()}`,
    });
  });

  it('names the workload kind from the resource type of the operation, and nothing else', () => {
    const kindOf = (operation: string) => contextOf(activityRecord(operation)).workloadKind;
    expect(
      [
        'MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/JOBS/WRITE',
        'Microsoft.ContainerService/managedClusters/pods/write',
        'MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/APPS/DEPLOYMENTS/WRITE',
        'MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/APPS/DAEMONSETS/WRITE',
        'MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/APPS/STATEFULSETS/WRITE',
        'MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/APPS/REPLICASETS/WRITE',
        'MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/CONSTRUCTOR/WRITE',
        'MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/WRITE',
        'WRITE',
      ].map(kindOf),
    ).toEqual([
      'Job',
      'Pod',
      'Deployment',
      'DaemonSet',
      'StatefulSet',
      'ReplicaSet',
      undefined,
      undefined,
      undefined,
    ]);
    expect(
      contextOf(activityRecord(CRONJOB_WRITE, { operationName: undefined })).workloadKind,
    ).toBeUndefined();
  });

  it('takes the address from the token when the record has none, and the app id as a principal', () => {
    const record = withIdentity({ ipaddr: '203.0.113.9', appid: '2f1d6c0e-1111-4c4c-9d9d-0a0b0c0d0e0f' });
    delete record['callerIpAddress'];
    const context = contextOf(record);
    expect(context.callerIpAddress).toBe('203.0.113.9');
    expect(context.principals).toEqual([
      '2f1d6c0e-1111-4c4c-9d9d-0a0b0c0d0e0f',
      '2f1d6c0e-1111-4c4c-9d9d-0a0b0c0d0e0f',
    ]);
  });

  it('keys an operation by its time without a correlation id, and by the resource id when it is no cluster', () => {
    const record = activityRecord('MICROSOFT.STORAGE/STORAGEACCOUNTS/WRITE', {
      correlationId: undefined,
      resourceId:
        '/SUBSCRIPTIONS/3F2A9C10-5B7E-4D21-9A44-0C1D2E3F4A5B/RESOURCEGROUPS/RG-PAY/PROVIDERS/MICROSOFT.STORAGE/STORAGEACCOUNTS/ST1',
      identity: {},
    });
    const context = contextOf(record);
    expect(context.cluster).toBeUndefined();
    expect(context.sourceRecordId).toBeUndefined();
    expect(context.operationKey).toBe(
      '2025-03-04T09:15:27.4410532Z|MICROSOFT.STORAGE/STORAGEACCOUNTS/WRITE|/subscriptions/3f2a9c10-5b7e-4d21-9a44-0c1d2e3f4a5b/resourcegroups/rg-pay/providers/microsoft.storage/storageaccounts/st1',
    );
    expect(contextOf({ category: 'Administrative' })).toMatchObject({ operationKey: '||', times: [] });
  });

  it('names the cluster from the resource id when the authorization gives no scope', () => {
    const record = activityRecord(CRONJOB_WRITE, { identity: {} });
    expect(contextOf(record).cluster).toMatchObject({
      resourceId: SCOPE.toLowerCase(),
      resourceGroup: 'RG-PAY',
      name: 'AKS-PAY-01',
    });
  });

  it('has no workload facts and no problems', () => {
    const record = openActivityRecord(activityRecord(CRONJOB_WRITE));
    expect(record.source).toBe('AzureActivity');
    expect(record.workload()).toBeUndefined();
    expect(record.embeddedEvent).toBeUndefined();
    expect(record.problems()).toEqual([]);
  });
});

describe('Activity Log caller', () => {
  const callerOf = (claims: Record<string, unknown>, evidence?: Record<string, unknown>) => {
    const { caller, callerObjectId } = contextOf(withIdentity(claims, evidence));
    return [caller, callerObjectId];
  };

  it('is the first name the token claims, user names before application ids', () => {
    const all = {
      [UPN]: 'upn-uri@contoso.example',
      upn: 'upn@contoso.example',
      unique_name: 'unique@contoso.example',
      [NAME]: 'name@contoso.example',
      [EMAIL]: 'email@contoso.example',
      appid: 'app-id',
      azp: 'azp-id',
      [OID]: 'c4d5e6f7-0819-4a2b-9c3d-4e5f6a7b8c9d',
      oid: '00000000-0000-4000-8000-000000000001',
    };
    const order = [UPN, 'upn', 'unique_name', NAME, EMAIL, 'appid', 'azp', OID, 'oid'] as const;
    const seen = order.map((_, i) => callerOf(Object.fromEntries(order.slice(i).map((k) => [k, all[k]])))[0]);
    expect(seen).toEqual([
      'upn-uri@contoso.example',
      'upn@contoso.example',
      'unique@contoso.example',
      'name@contoso.example',
      'email@contoso.example',
      'app-id',
      'azp-id',
      'c4d5e6f7-0819-4a2b-9c3d-4e5f6a7b8c9d',
      '00000000-0000-4000-8000-000000000001',
    ]);
  });

  it('takes the object id from the claims, else from the role-assignment evidence, with dashes', () => {
    expect(callerOf({ oid: '00000000-0000-4000-8000-000000000001' })).toEqual([
      '00000000-0000-4000-8000-000000000001',
      '00000000-0000-4000-8000-000000000001',
    ]);
    expect(callerOf({}, { principalId: 'C4D5E6F708194A2B9C3D4E5F6A7B8C9D', role: 'Owner' })).toEqual([
      'c4d5e6f7-0819-4a2b-9c3d-4e5f6a7b8c9d',
      'c4d5e6f7-0819-4a2b-9c3d-4e5f6a7b8c9d',
    ]);
    expect(callerOf({}, { principalId: 'not-a-guid' })).toEqual(['not-a-guid', 'not-a-guid']);
    expect(callerOf({}, { principalId: 'c4d5e6f708194a2b9c3d4e5f6a7b8c9d0' })).toEqual([
      'c4d5e6f708194a2b9c3d4e5f6a7b8c9d0',
      'c4d5e6f708194a2b9c3d4e5f6a7b8c9d0',
    ]);
    expect(callerOf({})).toEqual([undefined, undefined]);
  });

  it('ignores claims and evidence that are not objects, and empty claims', () => {
    const record = activityRecord(CRONJOB_WRITE, {
      identity: { claims: 'x', authorization: { evidence: 'y' } },
    });
    expect(contextOf(record).caller).toBeUndefined();
    expect(callerOf({ [UPN]: '', upn: 'upn@contoso.example' })[0]).toBe('upn@contoso.example');
  });
});

describe('Activity Log fields borrowed from the AzureActivity table', () => {
  it('resolve onto the export, and yield to a field of the record with that name', () => {
    const record = activityRecord(CRONJOB_WRITE);
    expect(
      ['OperationNameValue', 'ResourceProviderValue', 'Caller', 'SubscriptionId', 'CategoryValue'].map(
        (name) => field(record, name).values,
      ),
    ).toEqual([
      [CRONJOB_WRITE],
      ['MICROSOFT.CONTAINERSERVICE'],
      ['mallory@contoso.example'],
      ['3f2a9c10-5b7e-4d21-9a44-0c1d2e3f4a5b'],
      ['Administrative'],
    ]);
    expect(field({ ...record, Caller: 'stated@contoso.example' }, 'Caller').values).toEqual([
      'stated@contoso.example',
    ]);
  });

  it('rename the export fields they stand for', () => {
    const record = activityRecord(CRONJOB_WRITE, { level: 'Informational' });
    const names = [
      'OperationNameValue',
      'OperationName',
      'ResourceId',
      'ActivityStatusValue',
      'ActivitySubstatusValue',
      'CallerIpAddress',
      'CorrelationId',
      'Level',
    ];
    expect(names.map((name) => field(record, name).values)).toEqual([
      [CRONJOB_WRITE],
      [CRONJOB_WRITE],
      [record['resourceId']],
      ['Success'],
      ['Succeeded.Created'],
      ['198.51.100.23'],
      ['6b0f3c2e-8d41-4a7e-b1c9-2f5e7a90d314'],
      ['Informational'],
    ]);
  });

  it('are present with their derived value, the category taken from the properties first', () => {
    const record = activityRecord(CRONJOB_WRITE, { category: 'Write' });
    expect(['Caller', 'CategoryValue'].map((name) => field(record, name))).toEqual([
      { present: true, values: ['mallory@contoso.example'] },
      { present: true, values: ['Administrative'] },
    ]);
  });

  it('take the category from the record when the properties name none', () => {
    const record = activityRecord(CRONJOB_WRITE, { properties: {}, category: 'Write' });
    expect(field(record, 'CategoryValue').values).toEqual(['Write']);
  });

  it('take the subscription of a resource that is no cluster, lower-case', () => {
    const record = activityRecord('MICROSOFT.STORAGE/STORAGEACCOUNTS/WRITE', {
      resourceId:
        '/SUBSCRIPTIONS/AB12CD34-0000-4000-8000-000000000000/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.STORAGE/STORAGEACCOUNTS/ST1',
    });
    expect(field(record, 'SubscriptionId').values).toEqual(['ab12cd34-0000-4000-8000-000000000000']);
    expect(
      field({ ...record, resourceId: ` ${String(record['resourceId'])}\n` }, 'SubscriptionId').values,
    ).toEqual(['ab12cd34-0000-4000-8000-000000000000']);
    expect(field({ ...record, resourceId: 'ST1' }, 'SubscriptionId')).toEqual({ present: false, values: [] });
    const nested =
      '/providers/Microsoft.Management/managementGroups/mg-root/subscriptions/AB12CD34-0000-4000-8000-000000000000';
    expect(field({ ...record, resourceId: nested }, 'SubscriptionId').present).toBe(false);
    expect(field({ ...record, resourceId: 7 }, 'SubscriptionId').present).toBe(false);
  });

  it('are missing when the export lacks what they derive from, and unknown names stay missing', () => {
    const record = { category: 'Administrative', resultType: 'Success' };
    expect(
      ['ResourceProviderValue', 'Caller', 'OperationName', 'NoSuchField'].map(
        (n) => field(record, n).present,
      ),
    ).toEqual([false, false, false, false]);
    expect(field({ ...record, operationName: 7 }, 'ResourceProviderValue').present).toBe(false);
  });
});

describe('the Activity Log source', () => {
  const recognise = (record: Record<string, unknown>) => activityLogSource.shapes[0]?.recognise(record);

  it('recognises an export record by its category, or without one by its result, correlation or identity', () => {
    expect(
      [
        ...[
          'Administrative',
          'Security',
          'ServiceHealth',
          'Alert',
          'Recommendation',
          'Policy',
          'Autoscale',
          'ResourceHealth',
          'Write',
          'Delete',
          'Action',
        ].map((category) => ({ operationName: 'X/WRITE', category })),
        { operationName: 'X/WRITE', category: 'ADMINISTRATIVE' },
        { operationName: 'X/WRITE', category: 'Policy' },
        { operationName: 'X/WRITE', category: 'kube-audit' },
        { operationName: 'X/WRITE', resultType: 'Success' },
        { operationName: 'X/WRITE', correlationId: '6b0f3c2e' },
        { operationName: 'X/WRITE', identity: {} },
        { operationName: 'X/WRITE', identity: 'x', resultType: 5, correlationId: 6 },
        { operationName: 7, category: 'Administrative' },
      ].map(recognise),
    ).toEqual([...Array<boolean>(11).fill(true), true, true, false, true, true, true, false, false]);
  });

  it('runs the rules of product azure, service activitylogs, in any case, without a category', () => {
    expect(
      [
        { product: 'Azure', service: 'ActivityLogs' },
        { product: 'azure', service: 'activitylogs', category: 'x' },
        { product: 'azure', service: 'signinlogs' },
        { product: 'aws', service: 'activitylogs' },
        { service: 'activitylogs' },
        { product: 'azure' },
      ].map((l) => activityLogSource.matchesLogsource(l)),
    ).toEqual([true, false, false, false, false, false]);
  });

  it('shortens an operation to what follows the cluster type', () => {
    expect(
      [
        CRONJOB_WRITE,
        'Microsoft.Kubernetes/connectedClusters/Batch/Jobs/Write',
        'MICROSOFT.STORAGE/STORAGEACCOUNTS/WRITE',
        'MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/',
      ].map((o) => activityLogSource.shortOperation(o)),
    ).toEqual([
      'batch/cronjobs/write',
      'batch/jobs/write',
      'MICROSOFT.STORAGE/STORAGEACCOUNTS/WRITE',
      'MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/',
    ]);
  });

  it('opens an export record as a record of the source', () => {
    const opened = activityLogSource.shapes[0]?.open(activityRecord(CRONJOB_WRITE));
    expect(opened?.kind === 'record' ? opened.record.context().workloadKind : opened?.kind).toBe('CronJob');
  });
});
