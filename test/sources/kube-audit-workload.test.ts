import { describe, expect, it, vi } from 'vitest';
import { fieldPath } from '../../src/sigma/field-path.js';
import { failedWorkload, type WorkloadFacts } from '../../src/sources/kube-audit/workload.js';
import type { SourceRecord } from '../../src/sources/source-record.js';
import {
  aksRecord,
  auditEvent,
  cronJobBody,
  jobBody,
  podSpec,
  type WriteOptions,
  NO_WORKLOAD_FACTS as NOTHING,
  openedRecord,
} from '../helpers/audit.js';

/**
 * The workload facts of a write, one named case per branch of the derivation, each read through the
 * record a rule and a finding see. Written so that a wrong branch changes an asserted value.
 */

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const MAX_EMBEDDED_CHARS = 3 * 1024 * 1024;

const opened = (event: Record<string, unknown>): SourceRecord => openedRecord(aksRecord(event));

const factsOf = (options: WriteOptions): WorkloadFacts | undefined => opened(auditEvent(options)).workload();

const withAnnotation = (body: Record<string, unknown>, value: unknown): Record<string, unknown> => ({
  ...body,
  metadata: { ...(body['metadata'] as object), annotations: { [LAST_APPLIED]: value } },
});

describe('which writes have workload facts', () => {
  it.each(['create', 'update', 'patch'])('a %s of a CronJob has them', (verb) => {
    expect(factsOf({ verb })?.kind).toBe('CronJob');
  });

  it.each(['get', 'delete', 'deletecollection', 'watch'])('a %s has none', (verb) => {
    expect(factsOf({ verb })).toBeUndefined();
  });

  it('an event without a verb has none', () => {
    const event = auditEvent();
    delete event['verb'];
    expect(opened(event).workload()).toBeUndefined();
  });

  it('a write to a subresource (status, exec) has none: it runs no new pod spec', () => {
    expect(factsOf({ subresource: 'status', requestObject: cronJobBody(podSpec({ image: 'kali' })) })).toBe(
      undefined,
    );
  });

  it('an empty subresource is the object itself', () => {
    expect(
      factsOf({ subresource: '', requestObject: cronJobBody(podSpec({ image: 'kali' })) })?.images,
    ).toEqual(['kali']);
  });

  it('a write to a resource that runs no pod (configmaps) has none', () => {
    expect(
      factsOf({ resource: 'configmaps', requestObject: { kind: 'ConfigMap', data: {} } }),
    ).toBeUndefined();
  });

  it('an objectRef that is null has none', () => {
    const event = auditEvent();
    event['objectRef'] = null;
    const record = opened(event);
    expect(record.workload()).toBeUndefined();
    expect(record.problems()).toEqual([]);
  });

  it('an event without an objectRef has none', () => {
    const event = auditEvent();
    delete event['objectRef'];
    expect(opened(event).workload()).toBeUndefined();
  });

  it.each([
    ['cronjobs', 'CronJob'],
    ['jobs', 'Job'],
    ['deployments', 'Deployment'],
    ['daemonsets', 'DaemonSet'],
    ['statefulsets', 'StatefulSet'],
    ['replicasets', 'ReplicaSet'],
    ['replicationcontrollers', 'ReplicationController'],
    ['podtemplates', 'PodTemplate'],
    ['pods', 'Pod'],
  ])('a write to %s is of kind %s', (resource, kind) => {
    expect(factsOf({ resource })?.kind).toBe(kind);
  });
});

describe('the request body state', () => {
  it('no requestObject: not logged (level Metadata)', () => {
    expect(factsOf({ level: 'Metadata' })).toEqual({ ...NOTHING, body: 'not-logged' });
  });

  it('a null requestObject: not logged', () => {
    const event = auditEvent();
    event['requestObject'] = null;
    expect(opened(event).workload()?.body).toBe('not-logged');
  });

  it('the API server marker for an oversized body: too big', () => {
    expect(factsOf({ requestObject: 'skipped-too-big-size-object' })?.body).toBe('too-big');
  });

  it('a number is no body: unreadable', () => {
    expect(factsOf({ requestObject: 42 })).toEqual({ ...NOTHING, body: 'unreadable' });
  });

  it('text that is neither JSON nor YAML: unreadable', () => {
    expect(factsOf({ requestObject: '{ "kind": [' })?.body).toBe('unreadable');
  });

  it('a YAML scalar is no manifest: unreadable', () => {
    expect(factsOf({ requestObject: 'just words' })?.body).toBe('unreadable');
  });

  it('an object body with nothing security-relevant: present, all defaults', () => {
    expect(factsOf({ requestObject: cronJobBody(podSpec({})) })).toEqual(NOTHING);
  });

  it('YAML text that expands aliases past the bound is unreadable, a few aliases are read', () => {
    const aliased = (n: number) =>
      `kind: Job\nx: &a [1]\ny: [${Array(n).fill('*a').join(', ')}]\nspec:\n  template:\n    spec:\n      containers:\n        - image: kali\n`;
    expect(factsOf({ resource: 'jobs', requestObject: aliased(5) })?.images).toEqual(['kali']);
    expect(factsOf({ resource: 'jobs', requestObject: aliased(10) })?.body).toBe('unreadable');
  });

  it('a YAML body with an unknown tag is read without a process warning', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const yaml =
        'kind: !evil Job\nspec:\n  template:\n    spec:\n      containers:\n        - image: kali\n';
      expect(factsOf({ resource: 'jobs', requestObject: yaml })?.images).toEqual(['kali']);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it('a server-side apply body logged as YAML text is read', () => {
    const yaml = 'kind: Job\nspec:\n  template:\n    spec:\n      containers:\n        - image: kali\n';
    expect(factsOf({ resource: 'jobs', requestObject: yaml })).toEqual({
      ...NOTHING,
      kind: 'Job',
      images: ['kali'],
    });
  });

  it('a JSON Patch logged as JSON text is replayed', () => {
    const patch = JSON.stringify([{ op: 'add', path: '/spec/template/spec/hostPID', value: true }]);
    expect(factsOf({ verb: 'patch', resource: 'jobs', requestObject: patch })).toEqual({
      ...NOTHING,
      kind: 'Job',
      hostPID: true,
    });
  });

  it('a JSON Patch array is replayed', () => {
    const patch = [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'kali' }];
    expect(factsOf({ verb: 'patch', resource: 'jobs', requestObject: patch })?.images).toEqual(['kali']);
  });

  it('the stored object alone makes the body present', () => {
    expect(factsOf({ level: 'Metadata', responseObject: cronJobBody(podSpec({ image: 'kali' })) })).toEqual({
      ...NOTHING,
      images: ['kali'],
    });
  });

  it('an unreadable body with a readable stored object is present', () => {
    expect(
      factsOf({ requestObject: 42, responseObject: cronJobBody(podSpec({ image: 'kali' })) })?.body,
    ).toBe('present');
  });
});

describe('the kind of the written workload', () => {
  it('the first document that names a pod-bearing kind names it, later ones do not', () => {
    const facts = factsOf({
      resource: 'jobs',
      requestObject: { ...jobBody(podSpec({ image: 'a' })), kind: 'CronJob' },
      responseObject: jobBody(podSpec({ image: 'b' })),
    });
    expect(facts?.kind).toBe('CronJob');
    expect(facts?.images).toEqual(['a', 'b']);
  });

  it('a kind that runs no pod (ConfigMap) falls back to the resource written', () => {
    expect(
      factsOf({ resource: 'jobs', requestObject: { ...jobBody(podSpec({})), kind: 'ConfigMap' } })?.kind,
    ).toBe('Job');
  });

  it('a kind that is no string falls back to the resource written', () => {
    expect(factsOf({ resource: 'jobs', requestObject: { ...jobBody(podSpec({})), kind: 7 } })?.kind).toBe(
      'Job',
    );
  });

  it('a PodTemplate keeps its spec under template', () => {
    const body = { kind: 'PodTemplate', template: { spec: podSpec({ image: 'kali' }) } };
    expect(factsOf({ resource: 'podtemplates', requestObject: body })?.images).toEqual(['kali']);
  });

  it('a Pod keeps its spec at spec', () => {
    const body = { kind: 'Pod', spec: podSpec({ image: 'kali' }) };
    expect(factsOf({ resource: 'pods', requestObject: body })?.images).toEqual(['kali']);
  });

  it('a pod spec that is no object sets nothing', () => {
    expect(factsOf({ resource: 'pods', requestObject: { kind: 'Pod', spec: 'x' } })).toEqual({
      ...NOTHING,
      kind: 'Pod',
    });
  });
});

describe('the last-applied manifest', () => {
  const plain = cronJobBody(podSpec({ image: 'busybox' }));
  const evil = JSON.stringify(cronJobBody(podSpec({ image: 'kali', securityContext: { privileged: true } })));

  it('is read as a further document', () => {
    expect(factsOf({ requestObject: withAnnotation(plain, evil) })).toEqual({
      ...NOTHING,
      images: ['busybox', 'kali'],
      privileged: true,
      capabilities: ['ALL'],
    });
  });

  it('is read from the stored object too', () => {
    expect(factsOf({ level: 'Metadata', responseObject: withAnnotation(plain, evil) })?.images).toEqual([
      'busybox',
      'kali',
    ]);
  });

  it('written as YAML is read', () => {
    const yaml =
      'kind: CronJob\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n            - image: kali\n';
    expect(factsOf({ requestObject: withAnnotation(plain, yaml) })?.images).toEqual(['busybox', 'kali']);
  });

  it('that is no string is ignored', () => {
    expect(factsOf({ requestObject: withAnnotation(plain, { image: 'kali' }) })?.images).toEqual(['busybox']);
  });

  it('that parses to no object is ignored', () => {
    expect(factsOf({ requestObject: withAnnotation(plain, '[1, 2]') })?.images).toEqual(['busybox']);
  });

  it('of exactly the API server body limit is read', () => {
    const padded = (size: number) => {
      const head = evil.slice(0, -1) + ',"pad":"';
      return head + 'x'.repeat(size - head.length - 2) + '"}';
    };
    const atLimit = padded(MAX_EMBEDDED_CHARS);
    expect(atLimit.length).toBe(MAX_EMBEDDED_CHARS);
    const facts = factsOf({ requestObject: withAnnotation(plain, atLimit) });
    expect(facts?.images).toEqual(['busybox', 'kali']);
    expect(facts?.truncated).toEqual([]);

    const over = factsOf({ requestObject: withAnnotation(plain, padded(MAX_EMBEDDED_CHARS + 1)) });
    expect(over?.images).toEqual(['busybox']);
    expect(over?.truncated).toEqual([
      `${LAST_APPLIED}: ${MAX_EMBEDDED_CHARS + 1} characters, none read (bound ${MAX_EMBEDDED_CHARS})`,
    ]);
  });

  it('an oversized YAML request body is reported by name', () => {
    const facts = factsOf({ requestObject: `kind: Job\n#${'x'.repeat(MAX_EMBEDDED_CHARS)}` });
    expect(facts?.body).toBe('unreadable');
    expect(facts?.truncated).toEqual([
      `requestObject: ${MAX_EMBEDDED_CHARS + 11} characters, none read (bound ${MAX_EMBEDDED_CHARS})`,
    ]);
  });
});

describe('pod-level facts', () => {
  const body = (extra: Record<string, unknown>) => cronJobBody(podSpec({}, extra));

  it.each([
    ['hostNetwork', { hostNetwork: true }],
    ['hostPID', { hostPID: true }],
    ['hostIPC', { hostIPC: true }],
  ] as const)('%s: true is read', (name, extra) => {
    expect(factsOf({ requestObject: body(extra) })).toEqual({ ...NOTHING, [name]: true });
  });

  it('host namespaces written as the string "true" are not set: the API server rejects them', () => {
    expect(
      factsOf({ requestObject: body({ hostNetwork: 'true', hostPID: 'true', hostIPC: 'true' }) }),
    ).toEqual(NOTHING);
  });

  it('a host namespace set in the request stays set when the stored object omits it', () => {
    const facts = factsOf({
      requestObject: body({ hostPID: true, hostNetwork: true, hostIPC: true }),
      responseObject: body({}),
    });
    expect([facts?.hostPID, facts?.hostNetwork, facts?.hostIPC]).toEqual([true, true, true]);
  });

  it('runAsUser 0 in the pod security context runs as root', () => {
    expect(factsOf({ requestObject: body({ securityContext: { runAsUser: 0 } }) })?.runAsRoot).toBe(true);
  });

  it('runAsUser 1000 does not', () => {
    expect(factsOf({ requestObject: body({ securityContext: { runAsUser: 1000 } }) })?.runAsRoot).toBe(false);
  });

  it('root in the request stays when the stored object has another user', () => {
    const facts = factsOf({
      requestObject: body({ securityContext: { runAsUser: 0 } }),
      responseObject: body({ securityContext: { runAsUser: 1000 } }),
    });
    expect(facts?.runAsRoot).toBe(true);
  });

  it('serviceAccountName names the service account', () => {
    expect(factsOf({ requestObject: body({ serviceAccountName: 'cluster-admin-sa' }) })?.serviceAccount).toBe(
      'cluster-admin-sa',
    );
  });

  it('the deprecated serviceAccount names it when serviceAccountName is absent', () => {
    expect(factsOf({ requestObject: body({ serviceAccount: 'legacy-sa' }) })?.serviceAccount).toBe(
      'legacy-sa',
    );
  });

  it('serviceAccountName wins over serviceAccount', () => {
    expect(
      factsOf({ requestObject: body({ serviceAccountName: 'new-sa', serviceAccount: 'legacy-sa' }) })
        ?.serviceAccount,
    ).toBe('new-sa');
  });

  it('the first document naming a service account names it', () => {
    const facts = factsOf({
      requestObject: body({ serviceAccountName: 'first-sa' }),
      responseObject: body({ serviceAccountName: 'second-sa' }),
    });
    expect(facts?.serviceAccount).toBe('first-sa');
  });

  it('a service account that is no string is none', () => {
    expect(factsOf({ requestObject: body({ serviceAccountName: 7 }) })?.serviceAccount).toBeUndefined();
  });
});

describe('null where an object belongs sets nothing and breaks nothing', () => {
  it.each([
    ['a pod security context', podSpec({ image: 'kali' }, { securityContext: null })],
    ['a container security context', podSpec({ image: 'kali', securityContext: null })],
    ['capabilities', podSpec({ image: 'kali', securityContext: { capabilities: null } })],
    ['a hostPath', podSpec({ image: 'kali' }, { volumes: [{ name: 'v', hostPath: null }] })],
  ])('%s', (_, spec) => {
    const record = opened(auditEvent({ requestObject: cronJobBody(spec) }));
    expect(record.workload()).toEqual({ ...NOTHING, images: ['kali'] });
    expect(record.problems()).toEqual([]);
  });

  it('annotations', () => {
    const body = {
      ...cronJobBody(podSpec({ image: 'kali' })),
      metadata: { name: 'evil', annotations: null },
    };
    expect(factsOf({ requestObject: body })).toEqual({ ...NOTHING, images: ['kali'] });
  });
});

describe('volumes and mounts', () => {
  it('hostPath volumes, normalised, and where containers mount them', () => {
    const spec = podSpec(
      {
        image: 'alpine',
        volumeMounts: [
          { name: 'root', mountPath: '/host/' },
          { name: 'scratch', mountPath: '/tmp' },
          { name: 'missing', mountPath: 7 },
        ],
      },
      {
        volumes: [
          { name: 'root', hostPath: { path: '//etc/' } },
          { name: 'scratch', emptyDir: {} },
          { hostPath: { path: '/var/run/docker.sock' } },
          { name: 'bad', hostPath: { path: 7 } },
          { name: 'notpath', hostPath: 'x' },
        ],
      },
    );
    expect(factsOf({ requestObject: cronJobBody(spec) })).toEqual({
      ...NOTHING,
      images: ['alpine'],
      hostPaths: ['/etc', '/var/run/docker.sock'],
      hostPathMountPaths: ['/host'],
      mountPaths: ['/host', '/tmp'],
      pathsAsWritten: [
        { written: '//etc/', normalised: '/etc' },
        { written: '/host/', normalised: '/host' },
      ],
    });
  });

  it('relative and empty paths name nothing on the host and stay as written; the root stays the root', () => {
    const spec = podSpec(
      { volumeMounts: [{ name: 'rel', mountPath: 'data/' }] },
      {
        volumes: [
          { name: 'rel', hostPath: { path: 'etc/' } },
          { name: 'empty', hostPath: { path: '' } },
          { name: 'root', hostPath: { path: '/' } },
        ],
      },
    );
    const facts = factsOf({ requestObject: cronJobBody(spec) });
    expect([facts?.hostPaths, facts?.mountPaths, facts?.pathsAsWritten]).toEqual([
      ['etc/', '', '/'],
      ['data/'],
      [],
    ]);
  });

  it('a mount whose name is no string mounts no host volume', () => {
    const spec = podSpec(
      { volumeMounts: [{ name: 1, mountPath: '/host' }] },
      { volumes: [{ name: 'root', hostPath: { path: '/' } }] },
    );
    const facts = factsOf({ requestObject: cronJobBody(spec) });
    expect(facts?.hostPathMountPaths).toEqual([]);
    expect(facts?.mountPaths).toEqual(['/host']);
  });
});

describe('container facts', () => {
  it('init, regular and ephemeral containers are all read', () => {
    const spec = {
      initContainers: [{ name: 'i', image: 'init', command: ['sh', '-c'], args: ['curl x | sh'] }],
      containers: [{ name: 'c', image: 'main', args: ['--since', '24h'] }],
      ephemeralContainers: [{ name: 'e', image: 'debug', command: ['bash'] }],
    };
    expect(factsOf({ requestObject: cronJobBody(spec) })).toEqual({
      ...NOTHING,
      images: ['init', 'main', 'debug'],
      commands: ['sh -c curl x | sh', '--since 24h', 'bash'],
    });
  });

  it('a container without command or args adds no command line', () => {
    expect(
      factsOf({ requestObject: cronJobBody(podSpec({ image: 'a', command: [], args: [7] })) })?.commands,
    ).toEqual([]);
  });

  it('an image that is no string is none', () => {
    expect(factsOf({ requestObject: cronJobBody(podSpec({ image: ['kali'] })) })?.images).toEqual([]);
  });

  it('privileged holds every capability', () => {
    const facts = factsOf({ requestObject: cronJobBody(podSpec({ securityContext: { privileged: true } })) });
    expect(facts).toEqual({ ...NOTHING, privileged: true, capabilities: ['ALL'] });
  });

  it('privileged: false is not privileged', () => {
    expect(
      factsOf({ requestObject: cronJobBody(podSpec({ securityContext: { privileged: false } })) }),
    ).toEqual(NOTHING);
  });

  it('allowPrivilegeEscalation: true is read', () => {
    const spec = podSpec({ securityContext: { allowPrivilegeEscalation: true } });
    expect(factsOf({ requestObject: cronJobBody(spec) })).toEqual({
      ...NOTHING,
      allowPrivilegeEscalation: true,
    });
  });

  it('allowPrivilegeEscalation set by one container stays set when the next omits it', () => {
    const spec = {
      containers: [
        { name: 'a', securityContext: { allowPrivilegeEscalation: true } },
        { name: 'b', securityContext: { allowPrivilegeEscalation: false } },
      ],
    };
    expect(factsOf({ requestObject: cronJobBody(spec) })?.allowPrivilegeEscalation).toBe(true);
  });

  it('a container running as user 0 runs as root', () => {
    const spec = podSpec({ securityContext: { runAsUser: 0 } });
    expect(factsOf({ requestObject: cronJobBody(spec) })).toEqual({ ...NOTHING, runAsRoot: true });
  });

  it('added capabilities are listed once each', () => {
    const spec = {
      containers: [
        { name: 'a', securityContext: { capabilities: { add: ['SYS_ADMIN', 'NET_ADMIN', 3] } } },
        { name: 'b', securityContext: { capabilities: { add: ['SYS_ADMIN'], drop: ['ALL'] } } },
        { name: 'c', securityContext: { capabilities: ['SYS_PTRACE'] } },
      ],
    };
    expect(factsOf({ requestObject: cronJobBody(spec) })?.capabilities).toEqual(['SYS_ADMIN', 'NET_ADMIN']);
  });
});

describe('a derivation that failed', () => {
  it('keeps the kind of the resource and the reason, cut to 500 characters', () => {
    const event = auditEvent({ resource: 'jobs' });
    expect(failedWorkload(event, new Error('x'.repeat(600)))).toEqual({
      ...NOTHING,
      body: 'unreadable',
      kind: 'Job',
      error: 'x'.repeat(500),
    });
  });

  it('says unknown for a resource that runs no pod, and keeps a thrown non-Error as text', () => {
    const facts = failedWorkload(auditEvent({ resource: 'configmaps' }), 'boom');
    expect([facts.kind, facts.error]).toEqual(['unknown', 'boom']);
  });

  it('says unknown without an objectRef', () => {
    const event = auditEvent();
    delete event['objectRef'];
    expect(failedWorkload(event, new Error('e')).kind).toBe('unknown');
  });
});

describe('the derived fields a rule sees', () => {
  const get = (options: WriteOptions, name: string) =>
    opened(auditEvent(options)).document.get(fieldPath(name));

  it('workload_kind and request_body are set whenever the write has facts', () => {
    expect(get({ level: 'Metadata' }, 'workload_kind')).toEqual({ present: true, values: ['CronJob'] });
    expect(get({ level: 'Metadata' }, 'request_body')).toEqual({ present: true, values: ['not-logged'] });
  });

  it('flags are absent when the body was not logged, so a rule cannot read false into them', () => {
    for (const name of [
      'privileged',
      'allow_privilege_escalation',
      'run_as_root',
      'host_network',
      'host_pid',
      'host_ipc',
      'host_path',
    ])
      expect(get({ level: 'Metadata' }, name).present).toBe(false);
  });

  it('flags are present with their value when the body was read', () => {
    const requestObject = cronJobBody(
      podSpec(
        { securityContext: { privileged: true, allowPrivilegeEscalation: true, runAsUser: 0 } },
        { hostNetwork: true, hostPID: true, hostIPC: true },
      ),
    );
    for (const name of [
      'privileged',
      'allow_privilege_escalation',
      'run_as_root',
      'host_network',
      'host_pid',
      'host_ipc',
    ])
      expect(get({ requestObject }, name)).toEqual({ present: true, values: [true] });
    expect(get({ requestObject }, 'host_path')).toEqual({ present: true, values: [false] });
  });

  it('lists are absent when empty and hold every value otherwise', () => {
    const requestObject = cronJobBody(
      podSpec(
        {
          image: 'kali',
          command: ['sh'],
          securityContext: { capabilities: { add: ['SYS_ADMIN'] } },
          volumeMounts: [{ name: 'root', mountPath: '/host' }],
        },
        { volumes: [{ name: 'root', hostPath: { path: '/' } }], serviceAccountName: 'sa' },
      ),
    );
    const expected: [string, unknown[]][] = [
      ['image', ['kali']],
      ['command', ['sh']],
      ['capabilities', ['SYS_ADMIN']],
      ['hostPath', ['/']],
      ['host_path', [true]],
      ['host_path_mount_path', ['/host']],
      ['mount_path', ['/host']],
      ['service_account', ['sa']],
    ];
    for (const [name, values] of expected)
      expect(get({ requestObject }, name)).toEqual({ present: true, values });
    for (const [name] of expected.filter(([n]) => n !== 'host_path'))
      expect(get({ requestObject: cronJobBody(podSpec({})) }, name).present).toBe(false);
  });

  it('an event field of the same name wins over the derived one', () => {
    const event = { ...auditEvent({ requestObject: cronJobBody(podSpec({ image: 'kali' })) }), image: 'own' };
    expect(opened(event).document.get(fieldPath('image'))).toEqual({ present: true, values: ['own'] });
  });

  it('a read has no derived fields', () => {
    expect(get({ verb: 'get' }, 'workload_kind').present).toBe(false);
  });

  it('names inherited from Object.prototype are no derived field', () => {
    expect(get({}, 'constructor').present).toBe(false);
    expect(get({}, 'toString').present).toBe(false);
  });
});
