import { isRecord } from '../../sigma/field-path.js';

export type AuditEventResult =
  | { readonly ok: true; readonly event: Record<string, unknown> }
  | { readonly ok: false; readonly reason: string };

/**
 * The Kubernetes audit Event inside an AKS resource-log record: a JSON string in
 * `properties.log` (with a trailing newline), or an object when a forwarder already parsed it.
 */
export function auditEventOf(record: Record<string, unknown>): AuditEventResult {
  // Some forwarders serialise `properties` itself to a string.
  const properties =
    typeof record['properties'] === 'string' ? parseObject(record['properties']) : record['properties'];
  if (!isRecord(properties)) return { ok: false, reason: 'kube-audit record has no properties object' };
  const log = properties['log'];
  if (isRecord(log)) return { ok: true, event: log };
  if (typeof log !== 'string') return { ok: false, reason: 'kube-audit record has no properties.log' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(log);
  } catch (error) {
    return {
      ok: false,
      reason: `properties.log is not JSON (${error instanceof Error ? error.message : String(error)})`,
    };
  }
  return isRecord(parsed)
    ? { ok: true, event: parsed }
    : { ok: false, reason: 'properties.log is not a JSON object' };
}

function parseObject(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
