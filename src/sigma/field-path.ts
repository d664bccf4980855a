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

/** Bounds the walk so hostile nesting cannot blow the stack. */
const MAX_DEPTH = 256;

export function lookupField(root: unknown, path: FieldPath): FieldLookup {
  const values: unknown[] = [];
  const present = walk(root, path, 0, values, 0);
  return present ? { present, values } : MISSING;
}

function walk(node: unknown, path: FieldPath, index: number, out: unknown[], depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  if (index === path.parts.length) {
    flattenInto(node, out, depth);
    return true;
  }
  if (Array.isArray(node)) {
    let found = false;
    for (const element of node) found = walk(element, path, index, out, depth + 1) || found;
    return found;
  }
  if (!isRecord(node)) return false;
  const keys = path.keys[index] ?? [];
  let found = false;
  for (let k = keys.length - 1; k >= 0; k--) {
    const key = keys[k] as string;
    if (Object.hasOwn(node, key)) found = walk(node[key], path, index + k + 1, out, depth + 1) || found;
  }
  return found;
}

function flattenInto(value: unknown, out: unknown[], depth: number): void {
  if (Array.isArray(value)) {
    if (depth > MAX_DEPTH) return;
    for (const element of value) flattenInto(element, out, depth + 1);
  } else {
    out.push(value);
  }
}
