import { errorText } from '../../util/error-text.js';
import { isRecord } from '../../util/is-record.js';
import { tryParseJson } from '../../util/json.js';

export type AuditEventResult =
  | { readonly ok: true; readonly event: Record<string, unknown> }
  | { readonly ok: false; readonly reason: string };

/**
 * The AKS resource-log envelope, opened in this one place: `properties` (an object, or a string
 * when a forwarder serialised it) holding `log`, the audit Event as a JSON string with a trailing
 * newline, or an object when a forwarder already parsed it.
 */
export function auditEnvelope(
  record: Record<string, unknown>,
): { readonly properties: Record<string, unknown>; readonly log: unknown } | undefined {
  const properties =
    typeof record['properties'] === 'string' ? tryParseJson(record['properties']) : record['properties'];
  return isRecord(properties) ? { properties, log: properties['log'] } : undefined;
}

/** The Kubernetes audit Event inside an AKS resource-log record. */
export function auditEventOf(record: Record<string, unknown>): AuditEventResult {
  const envelope = auditEnvelope(record);
  if (envelope === undefined) return { ok: false, reason: 'kube-audit record has no properties object' };
  return parseAuditLog(envelope.log);
}

/** The audit Event in a `properties.log` value. */
export function parseAuditLog(log: unknown): AuditEventResult {
  if (isRecord(log)) return { ok: true, event: log };
  if (typeof log !== 'string') return { ok: false, reason: 'kube-audit record has no properties.log' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(log);
  } catch (error) {
    return { ok: false, reason: `properties.log is not JSON (${errorText(error)})` };
  }
  return isRecord(parsed)
    ? { ok: true, event: parsed }
    : { ok: false, reason: 'properties.log is not a JSON object' };
}
