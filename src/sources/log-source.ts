import type { SigmaLogSource } from '../sigma/rule.js';
import type { ShapeContext } from './shape.js';
import type { SourceKind } from './source-kind.js';
import type { SourceRecord } from './source-record.js';

/** What a field holds: the JSON type of its value, or each element's when it is a list. */
export type FieldType = 'string' | 'number' | 'boolean' | 'object' | 'string[]' | 'object[]';

/**
 * Where a field's values come from: `raw` and `renamed` values are text of the record itself (so
 * the prefilter can look for them in the bytes); `derived` values are computed from it.
 */
export type FieldOrigin = 'raw' | 'renamed' | 'derived';

export interface FieldInfo {
  readonly type: FieldType;
  readonly origin: FieldOrigin;
  /** What the field means, in a line, for `rules fields` and lint messages. */
  readonly meaning: string;
}

/** A field path (`objectRef.resource`, `identity.claims.*`) and what it holds. */
export type FieldCatalogue = ReadonlyMap<string, FieldInfo>;

/**
 * Tests the text a record embeds for its events (an AKS record's `properties.log`) before it is
 * parsed: false only when no active rule can match it.
 */
export type EmbeddedTextGate = (text: string) => boolean;

export type OpenedRecord =
  | { readonly kind: 'record'; readonly record: SourceRecord }
  | { readonly kind: 'unreadable'; readonly reason: string }
  | { readonly kind: 'ruled-out' };

/** One way a source's records arrive (the diagnostic-settings export, a Log Analytics row, …). */
export interface InputShape {
  /** Stable name for reports and tests, e.g. `diagnostic-export`. */
  readonly id: string;
  readonly description: string;
  /** Whether a decoded record has this shape; cheap, and looks only at the envelope. */
  recognise(record: Record<string, unknown>): boolean;
  /**
   * Opens the envelope into the record rules run on, or says why it cannot be read. `context`
   * carries what a shape's converter needs beyond the record (`--cluster-id`).
   */
  open(
    record: Record<string, unknown>,
    embeddedMayMatch?: EmbeddedTextGate,
    context?: ShapeContext,
  ): OpenedRecord;
}

/** What the raw-bytes prefilter needs to know about a source's records. */
export interface SourcePrefilterSpec {
  /** A literal every record of the source holds, checked alongside the rules' own. */
  readonly gate: string | undefined;
  /**
   * The JSON key under which each record embeds its events as a string (`log`): rules must then
   * hold within one such string, not across the records of a body. `label` names those strings
   * in the scan summary.
   */
  readonly embedded:
    | {
        readonly key: string;
        readonly label: string;
        /**
         * String fields of the embedded event that decide most records (`verb`, `objectRef.resource`):
         * the prefilter reads their values from the escaped text without parsing. Each is named by
         * its Sigma field and the last key of its path; its lookup must be the plain JSON one.
         */
        readonly scanFields: readonly { readonly name: string; readonly leaf: string }[];
      }
    | undefined;
  /** Whether a field's values are text of the record, so its literals can be searched in the bytes. */
  readonly isRawField: (field: string) => boolean;
}

/** Everything the rest of the detector knows about one log source. */
export interface LogSource {
  /** The value of the finding row's `Source` column. */
  readonly id: SourceKind;
  /** How people call it: `Activity Log`, `kube-audit`. */
  readonly displayName: string;
  /** Whether a Sigma rule's `logsource` runs on this source. */
  matchesLogsource(logsource: SigmaLogSource): boolean;
  /** The shapes its records may come in, tried in order. */
  readonly shapes: readonly InputShape[];
  readonly fields: FieldCatalogue;
  readonly prefilter: SourcePrefilterSpec;
  /** The operation as a table shows it, where the cluster column already says where. */
  shortOperation(operation: string): string;
  /** Stamps a record's own times with `iso`, so a replayed sample looks recent. */
  restamp(record: Record<string, unknown>, iso: string): void;
}
