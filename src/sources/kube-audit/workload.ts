import { parse as parseYaml } from 'yaml';
import { isRecord } from '../../util/is-record.js';
import { jsonPatchToPartialDocument } from './json-patch.js';
import { normalisePath } from './normalise-path.js';

/** Why the workload fields of a write are, or are not, known. */
export type RequestBodyState = 'present' | 'not-logged' | 'too-big' | 'unreadable';

/** Security-relevant facts about the pod a write would run, read from the audited request body. */
export interface WorkloadFacts {
  readonly body: RequestBodyState;
  readonly kind: string | undefined;
  readonly images: readonly string[];
  /** One entry per container (init, regular, ephemeral): its command and args joined by spaces. */
  readonly commands: readonly string[];
  readonly privileged: boolean;
  readonly allowPrivilegeEscalation: boolean;
  /** Added capabilities; `ALL` for a privileged container, which holds every capability. */
  readonly capabilities: readonly string[];
  readonly runAsRoot: boolean;
  readonly hostNetwork: boolean;
  readonly hostPID: boolean;
  readonly hostIPC: boolean;
  /** Host and mount paths are POSIX-normalised (`//etc/` → `/etc`), so spelling cannot hide them. */
  readonly hostPaths: readonly string[];
  /** Container paths where hostPath volumes are mounted. */
  readonly hostPathMountPaths: readonly string[];
  readonly mountPaths: readonly string[];
  /** The paths whose spelling normalisation changed, as written, for the finding's evidence. */
  readonly pathsAsWritten: readonly PathAsWritten[];
  readonly serviceAccount: string | undefined;
  /** Bounds the body exceeded, each saying what was not read; never empty silently. */
  readonly truncated: readonly string[];
  /** Why the body could not be read although it was logged (a defect, reported, never thrown). */
  readonly error?: string;
}

export interface PathAsWritten {
  readonly written: string;
  readonly normalised: string;
}

export const WRITE_VERBS: ReadonlySet<string> = new Set(['create', 'update', 'patch']);

/**
 * Where each pod-bearing kind keeps its pod spec. Maps, not object literals: kinds and resources
 * come from the record, and `constructor` or `__proto__` must not reach `Object.prototype`.
 */
const POD_SPEC_PATHS: ReadonlyMap<string, readonly string[]> = new Map([
  ['CronJob', ['spec', 'jobTemplate', 'spec', 'template', 'spec']],
  ['Job', ['spec', 'template', 'spec']],
  ['Deployment', ['spec', 'template', 'spec']],
  ['DaemonSet', ['spec', 'template', 'spec']],
  ['StatefulSet', ['spec', 'template', 'spec']],
  ['ReplicaSet', ['spec', 'template', 'spec']],
  ['ReplicationController', ['spec', 'template', 'spec']],
  ['PodTemplate', ['template', 'spec']],
  ['Pod', ['spec']],
]);

const KIND_BY_RESOURCE: ReadonlyMap<string, string> = new Map([
  ['cronjobs', 'CronJob'],
  ['jobs', 'Job'],
  ['deployments', 'Deployment'],
  ['daemonsets', 'DaemonSet'],
  ['statefulsets', 'StatefulSet'],
  ['replicasets', 'ReplicaSet'],
  ['replicationcontrollers', 'ReplicationController'],
  ['podtemplates', 'PodTemplate'],
  ['pods', 'Pod'],
]);

export function kindForResource(resource: string | undefined): string | undefined {
  return resource === undefined ? undefined : KIND_BY_RESOURCE.get(resource);
}

/**
 * Two ways a body dropped for size reaches the log: AKS writes this string in place of the object
 * (Azure Monitor's AKSAudit table reference), and the API server's truncating audit backend
 * (`--audit-log-truncate-enabled`, k8s.io/apiserver plugin/pkg/audit/truncate) omits both objects
 * and sets the annotation `audit.k8s.io/truncated: "true"`.
 */
const TOO_BIG = 'skipped-too-big-size-object';
const TRUNCATED_ANNOTATION = 'audit.k8s.io/truncated';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
/**
 * Embedded manifests (a YAML apply body, the last-applied annotation) are parsed only up to the
 * API server's own request-body limit (`MaxRequestBodyBytes`, 3 MiB, k8s.io/apiserver
 * pkg/server/config.go), which no request it decodes exceeds; a longer one is reported in
 * `truncated`, never silently skipped.
 */
const MAX_EMBEDDED_CHARS = 3 * 1024 * 1024;

/**
 * Derives the facts of a write to a pod-bearing object, or undefined when the event is not one.
 * A patch body is partial, so every document that describes the result is read: the patch, the
 * stored object (`responseObject`), and kubectl's last-applied manifest.
 */
export function deriveWorkload(event: Record<string, unknown>): WorkloadFacts | undefined {
  const verb = typeof event['verb'] === 'string' ? event['verb'] : undefined;
  const objectRef = isRecord(event['objectRef']) ? event['objectRef'] : {};
  const resource = typeof objectRef['resource'] === 'string' ? objectRef['resource'] : undefined;
  if (verb === undefined || !WRITE_VERBS.has(verb)) return undefined;
  if (typeof objectRef['subresource'] === 'string' && objectRef['subresource'] !== '') return undefined;
  const resourceKind = kindForResource(resource);
  if (resourceKind === undefined) return undefined;

  const collector = new FactsCollector();
  const request = event['requestObject'];
  const { documents, body } = bodyDocuments(request, collector, wasTruncated(event));
  const response = event['responseObject'];
  if (isRecord(response)) documents.push(response);
  for (const doc of [...documents]) {
    const manifest = lastAppliedManifest(doc, collector);
    if (manifest !== undefined) documents.push(manifest);
  }

  let kind: string | undefined;
  for (const doc of documents) {
    const docKind =
      typeof doc['kind'] === 'string' && POD_SPEC_PATHS.has(doc['kind']) ? doc['kind'] : resourceKind;
    kind ??= docKind;
    // A body may name another kind than the resource written: read the pod spec where either keeps it.
    for (const path of new Set([POD_SPEC_PATHS.get(docKind), POD_SPEC_PATHS.get(resourceKind)])) {
      const podSpec = path === undefined ? undefined : at(doc, path);
      if (isRecord(podSpec)) collector.addPodSpec(podSpec);
    }
  }
  const state: RequestBodyState = documents.length > 0 ? 'present' : body;
  return collector.facts(state, kind ?? resourceKind);
}

/**
 * The facts of a write whose derivation failed: no workload field is known, the reason is kept.
 * A defect here must cost no rule its finding, so callers report it instead of throwing.
 */
export function failedWorkload(event: Record<string, unknown>, error: unknown): WorkloadFacts {
  const objectRef = isRecord(event['objectRef']) ? event['objectRef'] : {};
  const resource = typeof objectRef['resource'] === 'string' ? objectRef['resource'] : undefined;
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
  return {
    ...new FactsCollector().facts('unreadable', kindForResource(resource) ?? 'unknown'),
    error: message,
  };
}

function wasTruncated(event: Record<string, unknown>): boolean {
  const annotations = event['annotations'];
  return isRecord(annotations) && at(annotations, [TRUNCATED_ANNOTATION]) === 'true';
}

function bodyDocuments(
  request: unknown,
  collector: FactsCollector,
  truncated: boolean,
): { documents: Record<string, unknown>[]; body: RequestBodyState } {
  if (request === undefined || request === null)
    return { documents: [], body: truncated ? 'too-big' : 'not-logged' };
  if (request === TOO_BIG) return { documents: [], body: 'too-big' };
  if (Array.isArray(request)) return { documents: [replayPatch(request, collector)], body: 'present' };
  if (isRecord(request)) return { documents: [request], body: 'present' };
  if (typeof request === 'string') {
    // A server-side apply body may reach the log as YAML text.
    const parsed = parseEmbedded(request, 'requestObject', collector);
    if (isRecord(parsed)) return { documents: [parsed], body: 'present' };
    if (Array.isArray(parsed)) return { documents: [replayPatch(parsed, collector)], body: 'present' };
  }
  return { documents: [], body: 'unreadable' };
}

function replayPatch(operations: readonly unknown[], collector: FactsCollector): Record<string, unknown> {
  const { document, truncated } = jsonPatchToPartialDocument(operations);
  if (truncated !== undefined) collector.truncate(truncated);
  return document;
}

function lastAppliedManifest(
  doc: Record<string, unknown>,
  collector: FactsCollector,
): Record<string, unknown> | undefined {
  const text = at(doc, ['metadata', 'annotations', LAST_APPLIED]);
  if (typeof text !== 'string') return undefined;
  const parsed = parseEmbedded(text, LAST_APPLIED, collector);
  return isRecord(parsed) ? parsed : undefined;
}

/** JSON first (kubectl writes JSON); YAML only for what is not, such as an apply body. */
function parseEmbedded(text: string, what: string, collector: FactsCollector): unknown {
  if (text.length > MAX_EMBEDDED_CHARS) {
    collector.truncate(`${what}: ${text.length} characters, none read (bound ${MAX_EMBEDDED_CHARS})`);
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch {
    try {
      // `error`: a record's odd tags are no process warning; errors still throw and are caught.
      return parseYaml(text, { maxAliasCount: 10, logLevel: 'error' });
    } catch {
      return undefined;
    }
  }
}

function at(node: unknown, path: readonly string[]): unknown {
  let current = node;
  for (const key of path) {
    if (!isRecord(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

/** Every element: Kubernetes sets no limit on containers or volumes per pod, so neither do we. */
function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

class FactsCollector {
  private readonly images = new Set<string>();
  private readonly commands = new Set<string>();
  private readonly capabilities = new Set<string>();
  private readonly hostPaths = new Set<string>();
  private readonly hostPathMountPaths = new Set<string>();
  private readonly mountPaths = new Set<string>();
  private readonly pathsAsWritten = new Map<string, string>();
  private readonly truncated: string[] = [];
  private privileged = false;
  private allowPrivilegeEscalation = false;
  private runAsRoot = false;
  private hostNetwork = false;
  private hostPID = false;
  private hostIPC = false;
  private serviceAccount: string | undefined;

  addPodSpec(spec: Record<string, unknown>): void {
    this.hostNetwork ||= spec['hostNetwork'] === true;
    this.hostPID ||= spec['hostPID'] === true;
    this.hostIPC ||= spec['hostIPC'] === true;
    const podContext = isRecord(spec['securityContext']) ? spec['securityContext'] : {};
    this.runAsRoot ||= podContext['runAsUser'] === 0;
    const account = spec['serviceAccountName'] ?? spec['serviceAccount'];
    if (typeof account === 'string') this.serviceAccount ??= account;

    const hostVolumes = new Map<string, string>();
    for (const volume of records(spec['volumes'])) {
      const written = isRecord(volume['hostPath']) ? volume['hostPath']['path'] : undefined;
      if (typeof written !== 'string') continue;
      const hostPath = this.normalised(written);
      this.hostPaths.add(hostPath);
      if (typeof volume['name'] === 'string') hostVolumes.set(volume['name'], hostPath);
    }
    for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
      for (const container of records(spec[list])) this.addContainer(container, hostVolumes);
    }
  }

  truncate(what: string): void {
    this.truncated.push(what);
  }

  private normalised(written: string): string {
    const path = normalisePath(written);
    if (path !== written) this.pathsAsWritten.set(written, path);
    return path;
  }

  private addContainer(container: Record<string, unknown>, hostVolumes: ReadonlyMap<string, string>): void {
    if (typeof container['image'] === 'string') this.images.add(container['image']);
    const commandLine = [...strings(container['command']), ...strings(container['args'])].join(' ');
    if (commandLine !== '') this.commands.add(commandLine);
    const context = isRecord(container['securityContext']) ? container['securityContext'] : {};
    if (context['privileged'] === true) {
      this.privileged = true;
      this.capabilities.add('ALL');
    }
    this.allowPrivilegeEscalation ||= context['allowPrivilegeEscalation'] === true;
    this.runAsRoot ||= context['runAsUser'] === 0;
    const added = isRecord(context['capabilities']) ? strings(context['capabilities']['add']) : [];
    for (const capability of added) this.capabilities.add(capability);
    for (const mount of records(container['volumeMounts'])) {
      if (typeof mount['mountPath'] !== 'string') continue;
      const mountPath = this.normalised(mount['mountPath']);
      this.mountPaths.add(mountPath);
      if (typeof mount['name'] === 'string' && hostVolumes.has(mount['name']))
        this.hostPathMountPaths.add(mountPath);
    }
  }

  facts(body: RequestBodyState, kind: string): WorkloadFacts {
    return {
      body,
      kind,
      images: [...this.images],
      commands: [...this.commands],
      privileged: this.privileged,
      allowPrivilegeEscalation: this.allowPrivilegeEscalation,
      capabilities: [...this.capabilities],
      runAsRoot: this.runAsRoot,
      hostNetwork: this.hostNetwork,
      hostPID: this.hostPID,
      hostIPC: this.hostIPC,
      hostPaths: [...this.hostPaths],
      hostPathMountPaths: [...this.hostPathMountPaths],
      mountPaths: [...this.mountPaths],
      pathsAsWritten: [...this.pathsAsWritten].map(([written, normalised]) => ({ written, normalised })),
      serviceAccount: this.serviceAccount,
      truncated: [...this.truncated],
    };
  }
}
