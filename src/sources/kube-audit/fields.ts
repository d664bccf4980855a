import type { FieldCatalogue, FieldInfo, FieldType } from '../log-source.js';

const raw = (type: FieldType, meaning: string): FieldInfo => ({ type, origin: 'raw', meaning });
const derived = (type: FieldType, meaning: string): FieldInfo => ({ type, origin: 'derived', meaning });

/**
 * The fields kube-audit rules see: the audit.k8s.io/v1 Event's own (rules address them by path),
 * then the fields derived from the request body of a write to a pod-bearing object, which are
 * absent when the body was not logged. Every name in `DERIVED_FIELDS` is listed here.
 */
export const KUBE_AUDIT_FIELDS: FieldCatalogue = new Map<string, FieldInfo>([
  ['kind', raw('string', 'always "Event"')],
  ['apiVersion', raw('string', 'always "audit.k8s.io/v1"')],
  ['level', raw('string', 'audit level: None, Metadata, Request or RequestResponse')],
  ['auditID', raw('string', 'one id per request, shared by its stages')],
  ['stage', raw('string', 'RequestReceived, ResponseStarted, ResponseComplete or Panic')],
  ['requestURI', raw('string', 'the request path and query, e.g. /apis/batch/v1/namespaces/ops/cronjobs')],
  [
    'verb',
    raw(
      'string',
      'create, update, patch, delete, get, list, watch, …; the HTTP method for non-resource requests',
    ),
  ],
  ['user.username', raw('string', 'the authenticated user')],
  ['user.uid', raw('string', "the user's uid (an Entra object id on AKS)")],
  ['user.groups', raw('string[]', "the user's groups")],
  [
    'user.extra',
    raw('object', 'extra authentication attributes, e.g. authentication.kubernetes.io/pod-name'),
  ],
  ['impersonatedUser.username', raw('string', 'the user the request impersonated, when it did')],
  ['impersonatedUser.groups', raw('string[]', 'the impersonated groups')],
  ['sourceIPs', raw('string[]', 'client addresses; all but the last are client-supplied headers')],
  ['userAgent', raw('string', 'the client-supplied user agent')],
  ['objectRef.resource', raw('string', 'the resource written, e.g. cronjobs, jobs, pods')],
  ['objectRef.subresource', raw('string', 'the subresource, e.g. status, exec')],
  ['objectRef.namespace', raw('string', "the object's namespace")],
  ['objectRef.name', raw('string', "the object's name (may be empty on create)")],
  ['objectRef.uid', raw('string', "the object's uid")],
  ['objectRef.apiGroup', raw('string', 'the API group, e.g. batch; empty for the core group')],
  ['objectRef.apiVersion', raw('string', 'the API version, e.g. v1')],
  ['objectRef.resourceVersion', raw('string', "the object's resource version")],
  ['responseStatus.code', raw('number', 'the HTTP status of the response')],
  ['responseStatus.status', raw('string', 'Success or Failure, when given')],
  ['responseStatus.reason', raw('string', 'why the request failed, e.g. Forbidden')],
  ['responseStatus.message', raw('string', 'the failure message')],
  ['requestObject', raw('object', 'the request body as sent (Request level and above)')],
  ['responseObject', raw('object', 'the stored object (RequestResponse level)')],
  ['requestReceivedTimestamp', raw('string', 'when the API server received the request (MicroTime)')],
  ['stageTimestamp', raw('string', 'when the stage was reached (MicroTime)')],
  ['annotations', raw('object', 'e.g. authorization.k8s.io/decision, pod-security.kubernetes.io/*')],
  ['workload_kind', derived('string', 'the kind written: CronJob, Job, Pod, Deployment, …')],
  [
    'request_body',
    derived('string', 'whether the body was logged: present, not-logged, too-big or unreadable'),
  ],
  ['image', derived('string[]', 'every container image the workload runs (init and ephemeral included)')],
  ['command', derived('string[]', "every container's command and args, joined per container")],
  ['privileged', derived('boolean', 'some container runs privileged')],
  ['allow_privilege_escalation', derived('boolean', 'some container allows privilege escalation')],
  ['capabilities', derived('string[]', 'capabilities some container adds')],
  ['run_as_root', derived('boolean', 'some container may run as uid 0')],
  ['host_network', derived('boolean', "the pod uses the node's network namespace")],
  ['host_pid', derived('boolean', "the pod uses the node's PID namespace")],
  ['host_ipc', derived('boolean', "the pod uses the node's IPC namespace")],
  ['host_path', derived('boolean', 'the pod mounts a hostPath volume')],
  ['hostPath', derived('string[]', 'the hostPath paths mounted (the SigmaHQ name)')],
  ['host_path_mount_path', derived('string[]', 'where hostPath volumes are mounted in containers')],
  ['mount_path', derived('string[]', 'every volume mount path in the containers')],
  ['service_account', derived('string', 'the service account the pod runs as')],
]);
