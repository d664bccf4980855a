import { isRecord } from '../util/is-record.js';
import type { InputShape } from './log-source.js';
import type { SourceKind } from './source-kind.js';

/** What a converter may need besides the record: the cluster a raw apiserver file came from. */
export interface ShapeContext {
  /** `--cluster-id`: an ARM resource id or a bare cluster name. */
  readonly clusterId?: string;
}

/**
 * One way a user holds logs of a source (a table row, a REST answer, a raw file), converted into
 * the record the diagnostic-settings export writes, so rules, prefilter, findings and exceptions
 * see one shape. `recognise` must require the key named in `marker`: the detector keeps bodies
 * holding a marker away from the raw-text prefilter, which assumes the export's shape.
 */
export interface RecordShape {
  /** Stable name for reports and tests, as `InputShape.id`. */
  readonly id: string;
  readonly name: string;
  readonly source: SourceKind;
  /** A top-level key every record of this shape has, written as JSON text would (`"key"`). */
  readonly marker: string;
  recognise(record: Record<string, unknown>): boolean;
  toSourceRecord(record: Record<string, unknown>, context: ShapeContext): Record<string, unknown>;
}

/**
 * A Log Analytics `dynamic` cell: an object or array in JSON exports, JSON text in CSV (and in
 * some tools' JSON). Text that is not JSON stays text: AKS writes `skipped-too-big-size-object`.
 */
export function dynamicValue(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (!/^[[{"]/.test(trimmed)) return value;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return value;
  }
}

export function dynamicRecord(value: unknown): Record<string, unknown> | undefined {
  const parsed = dynamicValue(value);
  return isRecord(parsed) ? parsed : undefined;
}

/** A `datetime` cell as text: the query SDK hands `Date` objects, exports hand ISO strings. */
export function timeText(value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A string cell; CSV cannot tell an empty cell from a missing one, so both are absent. */
export function textCell(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A record without the keys whose value is absent (`fromEntries` defines keys, so `__proto__` stays data). */
export function compact(entries: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined));
}

/** A converted shape as its source lists it: recognised by its own keys, opened as the export is. */
export function convertedShape(shape: RecordShape, exported: InputShape): InputShape {
  return {
    id: shape.id,
    description: shape.name,
    recognise: (record) => shape.recognise(record),
    open: (record, embeddedMayMatch, context) =>
      exported.open(shape.toSourceRecord(record, context ?? {}), embeddedMayMatch, context),
  };
}
