import { isRecord } from '../util/is-record.js';

/**
 * A Sigma field name compiled for lookup. `a.b.c` walks nested objects, steps into every element
 * of an array, and also tries keys that themselves contain dots (`authorization.k8s.io/decision`).
 */
export interface FieldPath {
  readonly name: string;
  readonly parts: readonly string[];
  /** `keys[i][k]` is `parts.slice(i, i + k + 1).join('.')`, precomputed so lookups never join strings. */
  readonly keys: readonly (readonly string[])[];
}

export interface FieldLookup {
  /** The field exists in the record (its value may be null or an empty list). */
  readonly present: boolean;
  /** Leaf values; arrays are flattened, so a field matches when any element does. */
  readonly values: readonly unknown[];
  /**
   * Set when the record nests deeper than `MAX_FIELD_DEPTH` along the path: values below that
   * depth were not read, and the document reports it as a problem of the record.
   */
  readonly tooDeep?: true;
}

export const MISSING: FieldLookup = Object.freeze({ present: false, values: Object.freeze([]) });

const interned = new Map<string, FieldPath>();

/** A literal key may hold up to this many dots-separated segments (`authorization.k8s.io/decision` has 3). */
const MAX_KEY_SEGMENTS = 16;

export function fieldPath(name: string): FieldPath {
  const known = interned.get(name);
  if (known !== undefined) return known;
  const parts = name.split('.');
  const keys = parts.map((_, i) =>
    parts.slice(i, i + MAX_KEY_SEGMENTS).map((__, k) => parts.slice(i, i + k + 1).join('.')),
  );
  const path: FieldPath = Object.freeze({ name, parts, keys });
  interned.set(name, path);
  return path;
}

/**
 * Bounds the walk so hostile nesting cannot blow the stack. Only nested arrays get this deep (a
 * pod spec is a dozen levels); what lies below is not read, and the lookup says so.
 */
export const MAX_FIELD_DEPTH = 256;

interface Walk {
  readonly path: FieldPath;
  readonly out: unknown[];
  tooDeep: boolean;
}

export function lookupField(root: unknown, path: FieldPath): FieldLookup {
  const state: Walk = { path, out: [], tooDeep: false };
  const present = walk(root, state, 0, 0);
  if (state.tooDeep) return { present, values: state.out, tooDeep: true };
  return present ? { present, values: state.out } : MISSING;
}

function walk(node: unknown, state: Walk, index: number, depth: number): boolean {
  if (depth > MAX_FIELD_DEPTH) {
    state.tooDeep = true;
    return false;
  }
  const path = state.path;
  if (index === path.parts.length) {
    flattenInto(node, state, depth);
    return true;
  }
  if (Array.isArray(node)) {
    let found = false;
    for (const element of node) found = walk(element, state, index, depth + 1) || found;
    return found;
  }
  if (!isRecord(node)) return false;
  const keys = path.keys[index] ?? [];
  let found = false;
  for (let k = keys.length - 1; k >= 0; k--) {
    const key = keys[k] as string;
    if (Object.hasOwn(node, key)) found = walk(node[key], state, index + k + 1, depth + 1) || found;
  }
  return found;
}

function flattenInto(value: unknown, state: Walk, depth: number): void {
  if (Array.isArray(value)) {
    if (depth > MAX_FIELD_DEPTH) {
      state.tooDeep = true;
      return;
    }
    for (const element of value) flattenInto(element, state, depth + 1);
  } else {
    state.out.push(value);
  }
}
