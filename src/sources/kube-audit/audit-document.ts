import { JsonEventDocument } from '../../sigma/event-document.js';
import { lookupField, MISSING, type FieldLookup, type FieldPath } from '../../sigma/field-path.js';
import type { WorkloadFacts } from './workload.js';

type Derive = (facts: WorkloadFacts) => unknown;

const whenBody =
  (value: (facts: WorkloadFacts) => unknown): Derive =>
  (facts) =>
    facts.body === 'present' ? value(facts) : undefined;
const nonEmpty = (list: readonly string[]): readonly string[] | undefined =>
  list.length > 0 ? list : undefined;

/**
 * Fields derived from the request body of a write to a pod-bearing object. Names follow the seed
 * rule (`image`, `command`, `host_path`, …); `hostPath` and `capabilities` are the names SigmaHQ's
 * kubernetes/audit rules use. A field is absent when the body was not logged.
 */
export const DERIVED_FIELDS: Readonly<Record<string, Derive>> = {
  workload_kind: (f) => f.kind,
  request_body: (f) => f.body,
  image: (f) => nonEmpty(f.images),
  command: (f) => nonEmpty(f.commands),
  privileged: whenBody((f) => f.privileged),
  allow_privilege_escalation: whenBody((f) => f.allowPrivilegeEscalation),
  capabilities: (f) => nonEmpty(f.capabilities),
  run_as_root: whenBody((f) => f.runAsRoot),
  host_network: whenBody((f) => f.hostNetwork),
  host_pid: whenBody((f) => f.hostPID),
  host_ipc: whenBody((f) => f.hostIPC),
  host_path: whenBody((f) => f.hostPaths.length > 0),
  hostPath: (f) => nonEmpty(f.hostPaths),
  host_path_mount_path: (f) => nonEmpty(f.hostPathMountPaths),
  mount_path: (f) => nonEmpty(f.mountPaths),
  service_account: (f) => f.serviceAccount,
};

/** The audit Event's own fields, plus the derived workload fields above. */
export class KubeAuditDocument extends JsonEventDocument {
  constructor(
    event: Record<string, unknown>,
    private readonly source: { workload(): WorkloadFacts | undefined },
  ) {
    super(event);
  }

  protected override resolve(path: FieldPath): FieldLookup {
    const native = lookupField(this.root, path);
    if (native.present || !Object.hasOwn(DERIVED_FIELDS, path.name)) return native;
    const facts = this.source.workload();
    const value = facts === undefined ? undefined : (DERIVED_FIELDS[path.name] as Derive)(facts);
    if (value === undefined) return MISSING;
    return { present: true, values: Array.isArray(value) ? value : [value] };
  }
}
