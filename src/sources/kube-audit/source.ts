import type { SigmaLogSource } from '../../sigma/rule.js';
import { isRecord } from '../../util/is-record.js';
import { tryParseJson } from '../../util/json.js';
import type { EmbeddedTextGate, InputShape, LogSource, OpenedRecord } from '../log-source.js';
import { convertedShape } from '../shape.js';
import { aksAuditRowShape } from './shapes/aks-audit-row.js';
import { apiserverEventShape } from './shapes/apiserver-event.js';
import { azureDiagnosticsRowShape } from './shapes/azure-diagnostics-row.js';
import { auditEnvelope, parseAuditLog } from './audit-event.js';
import { DERIVED_FIELDS } from './audit-document.js';
import { auditRecord } from './audit-record.js';
import { KUBE_AUDIT_FIELDS } from './fields.js';

const AUDIT_CATEGORIES = new Set(['kube-audit', 'kube-audit-admin']);

/** An AKS resource-log record as diagnostic settings export it to an Event Hub or a storage blob. */
const diagnosticExport: InputShape = {
  id: 'diagnostic-export',
  description: 'AKS kube-audit/kube-audit-admin resource log from diagnostic settings (properties.log)',
  recognise: (record) =>
    typeof record['category'] === 'string' && AUDIT_CATEGORIES.has(record['category'].toLowerCase()),
  open: (record: Record<string, unknown>, embeddedMayMatch?: EmbeddedTextGate): OpenedRecord => {
    const envelope = auditEnvelope(record);
    if (envelope === undefined)
      return { kind: 'unreadable', reason: 'kube-audit record has no properties object' };
    const { log } = envelope;
    if (embeddedMayMatch !== undefined && typeof log === 'string' && !embeddedMayMatch(log))
      return { kind: 'ruled-out' };
    const event = parseAuditLog(log);
    return event.ok
      ? { kind: 'record', record: auditRecord(record, event.event) }
      : { kind: 'unreadable', reason: event.reason };
  },
};

export const kubeAuditSource: LogSource = {
  id: 'KubeAudit',
  displayName: 'kube-audit',
  matchesLogsource: (logsource: SigmaLogSource) => {
    const category = logsource.category?.toLowerCase();
    return (
      logsource.product?.toLowerCase() === 'kubernetes' &&
      logsource.service?.toLowerCase() === 'audit' &&
      (category === undefined || category === 'application')
    );
  },
  shapes: [
    diagnosticExport,
    convertedShape(aksAuditRowShape, diagnosticExport),
    convertedShape(azureDiagnosticsRowShape, diagnosticExport),
    convertedShape(apiserverEventShape, diagnosticExport),
  ],
  fields: KUBE_AUDIT_FIELDS,
  prefilter: {
    gate: 'kube-audit',
    embedded: {
      key: 'log',
      label: "kube-audit records' audit logs",
      // The fields every audit Event carries before its request and response bodies, the one
      // with the most distinct values first (the prefilter searches the first one every rule needs alone).
      scanFields: [
        { name: 'objectRef.resource', leaf: 'resource' },
        { name: 'verb', leaf: 'verb' },
        { name: 'objectRef.subresource', leaf: 'subresource' },
        { name: 'user.username', leaf: 'username' },
      ],
    },
    isRawField: (field) => !Object.hasOwn(DERIVED_FIELDS, field),
  },
  shortOperation: (operation) => operation,
  restamp: (record, iso) => {
    const envelope = auditEnvelope(record);
    if (envelope === undefined || !isRecord(record['properties'])) return;
    const { properties, log } = envelope;
    const event = typeof log === 'string' ? tryParseJson(log) : log;
    if (!isRecord(event)) return;
    // MicroTime: the audit Event keeps microseconds.
    for (const key of ['requestReceivedTimestamp', 'stageTimestamp'])
      if (typeof event[key] === 'string') event[key] = iso.replace('Z', '000Z');
    properties['log'] = typeof log === 'string' ? `${JSON.stringify(event)}\n` : event;
  },
};
