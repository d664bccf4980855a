import type { RedactionMode } from '../redact/redaction-mode.js';
import { FINDING_SCHEMA } from './schema.js';

/** What a finding row may keep: whether secrets are redacted, and the cap of each column. */
export interface FindingPolicy {
  readonly redaction: RedactionMode;
  /** UTF-8 bytes of each string or dynamic column's JSON, up to FINDING_SCHEMA.columnMaxBytesLimit. */
  readonly columnMaxBytes: number;
}

export const DEFAULT_FINDING_POLICY: FindingPolicy = {
  redaction: 'default',
  columnMaxBytes: FINDING_SCHEMA.columnMaxBytes,
};
