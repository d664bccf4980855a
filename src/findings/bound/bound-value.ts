import { cutAround, cutMarker, markedCutBytes } from './cut-text.js';
import { fitsJsonString, jsonBytes } from './json-size.js';
import type { LocateMatch } from './locate-match.js';

export interface BoundValue {
  readonly value: unknown;
  /** The UTF-8 size of the value's JSON before it was cut, when it was. */
  readonly originalBytes: number | undefined;
}

/** Below this, strings are no longer shortened one by one; the value is kept as cut JSON text instead. */
const MIN_STRING_BYTES = 256;

/**
 * Keeps a column value within `maxBytes` of JSON: first each long string is cut around what the
 * rule matched in it, halving the allowance until the value fits; a value whose structure alone is
 * too big becomes its JSON text, cut the same way.
 */
export function boundValue(value: unknown, maxBytes: number, locate: LocateMatch): BoundValue {
  const size = jsonBytes(value);
  const earlierCuts = markedCutBytes(value);
  if (size <= maxBytes && earlierCuts === 0) return { value, originalBytes: undefined };
  const originalBytes = size + earlierCuts;
  if (size <= maxBytes) return { value, originalBytes };
  if (typeof value === 'string') return { value: cutAround(value, locate(value), maxBytes), originalBytes };
  let candidate = value;
  for (
    let allowance = Math.floor(maxBytes / 2);
    allowance >= MIN_STRING_BYTES;
    allowance = Math.floor(allowance / 2)
  ) {
    candidate = cutStrings(candidate, allowance, locate);
    if (jsonBytes(candidate) <= maxBytes) return { value: candidate, originalBytes };
  }
  const text = JSON.stringify(candidate) ?? 'null';
  return { value: cutAround(text, locate(text), maxBytes), originalBytes };
}

/** Deeper than any real record; what lies below is replaced by a marker saying so. */
export const MAX_DEPTH = 128;

/**
 * A copy with every string longer than `allowance` bytes cut around its matches, and nesting
 * beyond MAX_DEPTH cut. Strings are cut before anything is serialised, so a huge value is never
 * copied whole.
 */
export function cutStrings(value: unknown, allowance: number, locate: LocateMatch, depth = 0): unknown {
  if (typeof value === 'string')
    return fitsJsonString(value, allowance) ? value : cutAround(value, locate(value), allowance);
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return cutMarker(jsonBytesOrZero(value));
  if (Array.isArray(value)) return value.map((v) => cutStrings(v, allowance, locate, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, cutStrings(v, allowance, locate, depth + 1)]),
  );
}

/** The size of a nested value too deep to walk safely is what JSON.stringify says, when it can. */
function jsonBytesOrZero(value: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(value) ?? '');
  } catch {
    return 0;
  }
}
