import { derivedField, rawField } from '../field-info.js';
import type { FieldCatalogue, FieldInfo } from '../log-source.js';

/**
 * The fields kube-audit rules see: the audit.k8s.io/v1 Event's own (rules address them by path),
 * then the fields derived from the request body of a write to a pod-bearing object, which are
 * absent when the body was not logged. Every name in `DERIVED_FIELDS` is listed here.
 */
export const KUBE_AUDIT_FIELDS: FieldCatalogue = new Map<string, FieldInfo>([
  ['kind', rawField('string', 'always "Event"')],
  ['apiVersion', rawField('string', 'always "audit.k8s.io/v1"')],
  ['level', rawField('string', 'audit level: None, Metadata, Request or RequestResponse')],
  ['auditID', rawField('string', 'one id per request, shared by its stages')],
  ['stage', rawField('string', 'RequestReceived, ResponseStarted, ResponseComplete or Panic')],
  [
    'requestURI',
    rawField('string', 'the request path and query, e.g. /apis/batch/v1/namespaces/ops/cronjobs'),
  ],
  [
    'verb',
    rawField(
      'string',
      'create, update, patch, delete, get, list, watch, …; the HTTP method for non-resource requests',
    ),
  ],
  ['user.username', rawField('string', 'the authenticated user')],
  ['user.uid', rawField('string', "the user's uid (an Entra object id on AKS)")],
  ['user.groups', rawField('string[]', "the user's groups")],
  [
    'user.extra',
    rawField('object', 'extra authentication attributes, e.g. authentication.kubernetes.io/pod-name'),
  ],
  ['impersonatedUser.username', rawField('string', 'the user the request impersonated, when it did')],
  ['impersonatedUser.uid', rawField('string', "the impersonated user's uid")],
  ['impersonatedUser.groups', rawField('string[]', 'the impersonated groups')],
  ['impersonatedUser.extra', rawField('object', 'the impersonated extra attributes')],
  ['sourceIPs', rawField('string[]', 'client addresses; all but the last are client-supplied headers')],
  ['userAgent', rawField('string', 'the client-supplied user agent')],
  ['objectRef.resource', rawField('string', 'the resource written, e.g. cronjobs, jobs, pods')],
  ['objectRef.subresource', rawField('string', 'the subresource, e.g. status, exec')],
  ['objectRef.namespace', rawField('string', "the object's namespace")],
  ['objectRef.name', rawField('string', "the object's name (may be empty on create)")],
  ['objectRef.uid', rawField('string', "the object's uid")],
  ['objectRef.apiGroup', rawField('string', 'the API group, e.g. batch; empty for the core group')],
  ['objectRef.apiVersion', rawField('string', 'the API version, e.g. v1')],
  ['objectRef.resourceVersion', rawField('string', "the object's resource version")],
  ['responseStatus.code', rawField('number', 'the HTTP status of the response')],
  ['responseStatus.status', rawField('string', 'Success or Failure, when given')],
  ['responseStatus.reason', rawField('string', 'why the request failed, e.g. Forbidden')],
  ['responseStatus.message', rawField('string', 'the failure message')],
  ['responseStatus.details', rawField('object', 'details of a failure: name, group, kind, causes')],
  [
    'requestObject',
    rawField('object', 'the request body as sent (Request level and above); name fields inside it by path'),
  ],
  ['responseObject', rawField('object', 'the stored object (RequestResponse level); any path inside it')],
  ['requestReceivedTimestamp', rawField('string', 'when the API server received the request (MicroTime)')],
  ['stageTimestamp', rawField('string', 'when the stage was reached (MicroTime)')],
  [
    'annotations',
    rawField(
      'object',
      'any key, e.g. annotations.authorization.k8s.io/decision, pod-security.kubernetes.io/*',
    ),
  ],
  ['workload_kind', derivedField('string', 'the kind written: CronJob, Job, Pod, Deployment, …')],
  [
    'request_body',
    derivedField('string', 'whether the body was logged: present, not-logged, too-big or unreadable'),
  ],
  [
    'image',
    derivedField('string[]', 'every container image the workload runs (init and ephemeral included)'),
  ],
  ['command', derivedField('string[]', "every container's command and args, joined per container")],
  ['privileged', derivedField('boolean', 'some container runs privileged')],
  ['allow_privilege_escalation', derivedField('boolean', 'some container allows privilege escalation')],
  ['capabilities', derivedField('string[]', 'capabilities some container adds')],
  ['run_as_root', derivedField('boolean', 'some container may run as uid 0')],
  ['host_network', derivedField('boolean', "the pod uses the node's network namespace")],
  ['host_pid', derivedField('boolean', "the pod uses the node's PID namespace")],
  ['host_ipc', derivedField('boolean', "the pod uses the node's IPC namespace")],
  ['host_path', derivedField('boolean', 'the pod mounts a hostPath volume')],
  ['hostPath', derivedField('string[]', 'the hostPath paths mounted (the SigmaHQ name)')],
  ['host_path_mount_path', derivedField('string[]', 'where hostPath volumes are mounted in containers')],
  ['mount_path', derivedField('string[]', 'every volume mount path in the containers')],
  ['service_account', derivedField('string', 'the service account the pod runs as')],
]);
