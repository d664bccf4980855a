import fc from 'fast-check';
import { stringify as toYaml } from 'yaml';

/** fast-check arbitraries for audit Events an attacker shapes: any JSON, prototype keys, pod-spec-like bodies. */

export const PROTOTYPE_KEYS = [
  '__proto__',
  'constructor',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
];
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const POD_KEYS = [
  'kind',
  'metadata',
  'annotations',
  LAST_APPLIED,
  'spec',
  'template',
  'jobTemplate',
  'containers',
  'initContainers',
  'ephemeralContainers',
  'volumes',
  'volumeMounts',
  'hostPath',
  'path',
  'mountPath',
  'name',
  'image',
  'command',
  'args',
  'securityContext',
  'privileged',
  'capabilities',
  'add',
  'hostNetwork',
  'runAsUser',
  'serviceAccountName',
];
const KINDS = ['CronJob', 'Job', 'Pod', 'PodTemplate', 'Deployment', ...PROTOTYPE_KEYS];
const RESOURCES = ['cronjobs', 'jobs', 'pods', 'podtemplates', ...PROTOTYPE_KEYS];

const key = fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS, ...POD_KEYS), fc.string({ maxLength: 6 }));

/** Like JSON.parse: every key, `__proto__` included, becomes an own property. */
function objectOf(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [k, value] of entries)
    Object.defineProperty(object, k, { value, enumerable: true, writable: true, configurable: true });
  return object;
}

const leaf = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(...KINDS, ...RESOURCES, '/var//run/docker.sock', '//etc/', 'alpine', 'bash\t-i'),
);

const { tree } = fc.letrec<{ tree: unknown }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('tree'), { maxLength: 4 }),
    fc.array(fc.tuple(key, tie('tree')), { maxLength: 5 }).map(objectOf),
  ),
}));

/** Any JSON value, with prototype and pod-spec keys more likely than chance would make them. */
export const hostileJson: fc.Arbitrary<unknown> = tree;

/** A pod-spec-like body along the paths the detector reads, each step possibly hostile. */
const podBody: fc.Arbitrary<Record<string, unknown>> = fc
  .record({
    kind: fc.oneof(fc.constantFrom(...KINDS), hostileJson),
    spec: hostileJson,
    extra: hostileJson,
    annotation: fc.oneof(
      hostileJson.map((v) => JSON.stringify(v) ?? 'null'),
      fc.constantFrom(...KINDS).map((kind) => JSON.stringify({ kind })),
      fc.string({ maxLength: 20 }),
    ),
  })
  .map(({ kind, spec, extra, annotation }) =>
    objectOf([
      ['kind', kind],
      ['metadata', { annotations: objectOf([[LAST_APPLIED, annotation]]) }],
      ['spec', { jobTemplate: { spec: { template: { spec } } }, template: { spec }, containers: extra }],
      ['template', { spec }],
    ]),
  );

const patchOps = fc.array(
  fc.record({
    op: fc.constantFrom('add', 'replace', 'remove', 'toString'),
    path: fc.array(key, { maxLength: 8 }).map((parts) => `/${parts.join('/')}`),
    value: hostileJson,
  }),
  { maxLength: 4 },
);

const body = fc.oneof(
  hostileJson,
  podBody,
  patchOps,
  podBody.map((b) => JSON.stringify(b)),
  // A server-side apply body logged as YAML text.
  podBody.map((b) => toYaml(b)),
  fc.constant('skipped-too-big-size-object'),
);

/** An audit Event of a write (or a hostile verb) whose request and response bodies are attacker-shaped. */
export const hostileAuditEvent: fc.Arbitrary<Record<string, unknown>> = fc
  .record({
    verb: fc.constantFrom('create', 'update', 'patch', ...PROTOTYPE_KEYS),
    resource: fc.constantFrom(...RESOURCES),
    requestObject: body,
    responseObject: fc.oneof(podBody, hostileJson),
  })
  .map(({ verb, resource, requestObject, responseObject }) => ({
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'RequestResponse',
    auditID: '1f8e2d3c-4b5a-4697-8877-66a5b4c3d2e1',
    stage: 'ResponseComplete',
    requestURI: `/apis/batch/v1/namespaces/default/${resource}`,
    verb,
    user: { username: 'mallory@contoso.example', groups: ['system:authenticated'] },
    sourceIPs: ['198.51.100.23'],
    objectRef: { resource, namespace: 'default', name: 'evil', apiGroup: 'batch', apiVersion: 'v1' },
    responseStatus: { metadata: {}, code: 201 },
    requestObject,
    responseObject,
    requestReceivedTimestamp: '2025-03-04T09:15:27.431220Z',
    stageTimestamp: '2025-03-04T09:15:27.452918Z',
  }));
