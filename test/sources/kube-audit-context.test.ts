import { describe, expect, it } from 'vitest';
import type { RecordContext } from '../../src/sources/source-record.js';
import {
  aksRecord,
  auditEvent,
  CLUSTER_ID,
  cronJobBody,
  openedRecord,
  podSpec,
  type WriteOptions,
} from '../helpers/audit.js';

/** What a finding says about the audited request it came from, one case per fallback. */

const contextOf = (event: Record<string, unknown>, record = aksRecord(event)): RecordContext =>
  openedRecord(record).context();

/** An audit Event without the given top-level or objectRef keys. */
function without(options: WriteOptions, keys: string[], refKeys: string[] = []): Record<string, unknown> {
  const event = auditEvent(options);
  for (const key of keys) delete event[key];
  const ref = event['objectRef'] as Record<string, unknown>;
  for (const key of refKeys) delete ref[key];
  return event;
}

const CLUSTER = CLUSTER_ID.toLowerCase();

describe('a create of a CronJob', () => {
  it('is described in full', () => {
    const context = contextOf(auditEvent({ requestObject: cronJobBody(podSpec({ image: 'kali' })) }));
    expect(context).toEqual({
      times: [
        { clock: 'requestReceivedTimestamp', value: '2025-03-04T09:15:27.431220Z' },
        { clock: 'stageTimestamp', value: '2025-03-04T09:15:27.452918Z' },
        { clock: 'time', value: '2025-03-04T09:15:27.0000000Z' },
      ],
      sourceRecordId: '1f8e2d3c-4b5a-4697-8877-66a5b4c3d2e1',
      operation: 'create batch/cronjobs',
      resultType: 'Success (201)',
      cluster: {
        resourceId: CLUSTER,
        subscriptionId: '3f2a9c10-5b7e-4d21-9a44-0c1d2e3f4a5b',
        resourceGroup: 'RG-PAY',
        name: 'AKS-PAY-01',
        kind: 'ManagedCluster',
      },
      namespace: 'default',
      workloadKind: 'CronJob',
      workloadName: 'evil',
      caller: 'mallory@contoso.example',
      callerObjectId: 'u-1',
      callerIpAddress: '198.51.100.23',
      principals: ['mallory@contoso.example'],
      operationKey: `1f8e2d3c-4b5a-4697-8877-66a5b4c3d2e1|${CLUSTER}`,
    });
  });
});

describe('times', () => {
  it('lists only the clocks the record holds, in order', () => {
    const event = without({}, ['stageTimestamp']);
    event['requestReceivedTimestamp'] = '';
    expect(contextOf(event).times).toEqual([{ clock: 'time', value: '2025-03-04T09:15:27.0000000Z' }]);
  });
});

describe('namespace', () => {
  it('falls back to the namespace the body names', () => {
    const body = cronJobBody(podSpec({}));
    expect(contextOf(without({ requestObject: body }, [], ['namespace'])).namespace).toBe('default');
    const other = { ...body, metadata: { name: 'evil', namespace: 'kube-system' } };
    expect(contextOf(without({ requestObject: other }, [], ['namespace'])).namespace).toBe('kube-system');
  });

  it('is unknown without either', () => {
    expect(contextOf(without({}, [], ['namespace'])).namespace).toBeUndefined();
  });

  it('a body that is no object names none', () => {
    expect(contextOf(without({ requestObject: 'kind: Job' }, [], ['namespace'])).namespace).toBeUndefined();
  });

  it('a body whose metadata is no object names none', () => {
    expect(
      contextOf(without({ requestObject: { kind: 'Job', metadata: 'x' } }, [], ['namespace'])).namespace,
    ).toBe(undefined);
  });
});

describe('workload kind and name', () => {
  it('a delete has no workload facts: the kind comes from the body, then from the resource', () => {
    expect(
      contextOf(auditEvent({ verb: 'delete', requestObject: { kind: 'DeleteOptions' } })).workloadKind,
    ).toBe('DeleteOptions');
    expect(contextOf(auditEvent({ verb: 'delete' })).workloadKind).toBe('CronJob');
    expect(contextOf(auditEvent({ verb: 'delete', requestObject: { kind: '' } })).workloadKind).toBe(
      'CronJob',
    );
  });

  it('a resource that runs no pod has no kind', () => {
    expect(contextOf(auditEvent({ verb: 'delete', resource: 'configmaps' })).workloadKind).toBeUndefined();
  });

  it('the name falls back to the body name, then to generateName', () => {
    const body = { kind: 'Job', metadata: { name: 'from-body', generateName: 'gen-' } };
    expect(contextOf(without({ resource: 'jobs', requestObject: body }, [], ['name'])).workloadName).toBe(
      'from-body',
    );
    const generated = { kind: 'Job', metadata: { generateName: 'gen-' } };
    expect(
      contextOf(without({ resource: 'jobs', requestObject: generated }, [], ['name'])).workloadName,
    ).toBe('gen-');
    expect(contextOf(without({ resource: 'jobs' }, [], ['name'])).workloadName).toBeUndefined();
  });
});

describe('caller', () => {
  it('an impersonated request names both', () => {
    const context = contextOf(auditEvent({ impersonate: 'system:admin' }));
    expect([context.caller, context.principals]).toEqual([
      'mallory@contoso.example as system:admin',
      ['mallory@contoso.example'],
    ]);
  });

  it('an impersonation by an unknown user says so', () => {
    const event = auditEvent({ impersonate: 'system:admin' });
    event['user'] = {};
    const context = contextOf(event);
    expect([context.caller, context.principals, context.callerObjectId]).toEqual([
      '(unknown) as system:admin',
      [],
      undefined,
    ]);
  });

  it('an impersonated user without a name is no impersonation', () => {
    const event = auditEvent();
    event['impersonatedUser'] = { groups: ['system:masters'] };
    expect(contextOf(event).caller).toBe('mallory@contoso.example');
  });

  it('no user object: no caller', () => {
    const event = without({}, ['user']);
    expect([contextOf(event).caller, contextOf(event).principals]).toEqual([undefined, []]);
  });

  it('the IP address is the last one, the peer the API server saw', () => {
    const event = auditEvent();
    event['sourceIPs'] = ['10.0.0.1', 7, '192.0.2.9'];
    expect(contextOf(event).callerIpAddress).toBe('192.0.2.9');
    event['sourceIPs'] = ['10.0.0.1', 7];
    expect(contextOf(event).callerIpAddress).toBe('10.0.0.1');
    event['sourceIPs'] = '192.0.2.9';
    expect(contextOf(event).callerIpAddress).toBeUndefined();
  });
});

describe('operation', () => {
  it('names the group, resource and subresource', () => {
    expect(contextOf(auditEvent({ verb: 'create', resource: 'pods', subresource: 'exec' })).operation).toBe(
      'create batch/pods/exec',
    );
  });

  it('omits an empty group (the core API)', () => {
    const event = auditEvent({ resource: 'pods' });
    (event['objectRef'] as Record<string, unknown>)['apiGroup'] = '';
    expect(contextOf(event).operation).toBe('create pods');
  });

  it('without a resource, names the request URI', () => {
    const event = without({}, [], ['resource']);
    event['requestURI'] = '/healthz';
    expect(contextOf(event).operation).toBe('create /healthz');
    delete event['requestURI'];
    expect(contextOf(event).operation).toBe('create');
  });

  it('without a verb, is unknown', () => {
    expect(contextOf(without({}, ['verb'])).operation).toBeUndefined();
  });
});

describe('result type by HTTP status class', () => {
  it.each([
    [101, 'Informational (101)'],
    [199, 'Informational (199)'],
    [200, 'Success (200)'],
    [299, 'Success (299)'],
    [300, 'Redirected (300)'],
    [399, 'Redirected (399)'],
    [400, 'Failed (400)'],
    [401, 'Denied (401)'],
    [403, 'Denied (403)'],
    [404, 'Failed (404)'],
    [499, 'Failed (499)'],
    [500, 'Server error (500)'],
    [599, 'Server error (599)'],
    [600, 'Unknown (600)'],
    [99, 'Unknown (99)'],
  ])('%i is %s', (code, expected) => {
    expect(contextOf(auditEvent({ code })).resultType).toBe(expected);
  });

  it.each([['201'], [201.5], [null]])('a code of %j is none', (code) => {
    const event = auditEvent();
    event['responseStatus'] = { code };
    expect(contextOf(event).resultType).toBeUndefined();
  });

  it('no responseStatus is none', () => {
    expect(contextOf(without({}, ['responseStatus'])).resultType).toBeUndefined();
  });
});

describe('operation key: the stages of one request share it', () => {
  it('falls back to the received time without an audit ID', () => {
    expect(contextOf(without({}, ['auditID'])).operationKey).toBe(`2025-03-04T09:15:27.431220Z|${CLUSTER}`);
  });

  it('is the cluster alone without either', () => {
    expect(contextOf(without({}, ['auditID', 'requestReceivedTimestamp'])).operationKey).toBe(`|${CLUSTER}`);
  });

  it('uses the resource ID as written, lower-cased, when it names no cluster', () => {
    const event = auditEvent();
    const record = { ...aksRecord(event), resourceId: '/SUBSCRIPTIONS/X/Other' };
    expect(contextOf(event, record).operationKey).toBe(
      '1f8e2d3c-4b5a-4697-8877-66a5b4c3d2e1|/subscriptions/x/other',
    );
    expect(contextOf(event, record).cluster).toBeUndefined();
  });

  it('has an empty cluster part without a resource ID', () => {
    const event = auditEvent();
    const record = aksRecord(event);
    delete record['resourceId'];
    expect(contextOf(event, record).operationKey).toBe('1f8e2d3c-4b5a-4697-8877-66a5b4c3d2e1|');
  });
});

describe('the raw record a finding keeps', () => {
  it('is the record as exported', () => {
    const record = aksRecord(auditEvent());
    expect(openedRecord(record).raw).toEqual(record);
  });

  it('reports no problem for a write it could read', () => {
    const record = openedRecord(
      aksRecord(auditEvent({ requestObject: cronJobBody(podSpec({ image: 'kali' })) })),
    );
    record.workload();
    expect(record.problems()).toEqual([]);
  });
});

describe('a workload derivation that fails', () => {
  const failing = () => {
    const event = auditEvent({ resource: 'jobs' });
    Object.defineProperty(event, 'requestObject', {
      enumerable: true,
      get: () => {
        throw new Error('boom');
      },
    });
    return openedRecord(aksRecord(event, { parsed: true }));
  };

  it('costs the record nothing: the facts say unreadable and why', () => {
    expect(failing().workload()).toMatchObject({ body: 'unreadable', kind: 'Job', error: 'boom' });
  });

  it('is reported as a problem once derived, and asking for problems forces no derivation', () => {
    const record = failing();
    expect(record.problems()).toEqual([]);
    record.workload();
    expect(record.problems()).toEqual(['workload fields not derived: boom']);
  });

  it('is derived once', () => {
    const record = failing();
    expect(record.workload()).toBe(record.workload());
  });
});
