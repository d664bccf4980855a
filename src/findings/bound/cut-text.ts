import { fitsJsonString, jsonStringBytes } from './json-size.js';

/** A half-open range of UTF-16 offsets: what a rule matched inside a text. */
export type Span = readonly [start: number, end: number];

const MARKER = /…\[([\d,]+) bytes cut\]…/g;

/** The longest marker: `…[` and `]…` (8 bytes), ` bytes cut` (10) and a count up to 10^15 with commas. */
const MARKER_MAX_BYTES = 40;

/** Stands where text was cut: `…[812,345 bytes cut]…`, counting UTF-8 bytes of the original text. */
export function cutMarker(bytes: number): string {
  return `…[${bytes.toLocaleString('en-US')} bytes cut]…`;
}

/**
 * Keeps `text` within `maxBytes` (UTF-8 of its JSON string form), keeping every span whole with
 * as much context around it as fits, and a marker for each piece cut. Without spans it keeps the
 * head. A text cut before keeps counting: markers in a dropped piece add their own counts.
 */
export function cutAround(text: string, spans: readonly Span[], maxBytes: number): string {
  if (fitsJsonString(text, maxBytes)) return text;
  const wanted = normalise(spans, text.length);
  let budget = Math.max(16, maxBytes - 2 - MARKER_MAX_BYTES * (wanted.length + 1));
  for (let attempt = 0; attempt < 32; attempt++) {
    const out = render(text, keptRanges(text, wanted, budget));
    const size = jsonStringBytes(out);
    if (size <= maxBytes) return out;
    budget = Math.max(1, Math.floor((budget * maxBytes) / size) - 8 * (wanted.length + 1));
  }
  return cutMarker(Buffer.byteLength(text));
}

function normalise(spans: readonly Span[], length: number): Span[] {
  const sorted = spans
    .map(([s, e]): Span => [Math.max(0, Math.min(s, length)), Math.max(0, Math.min(e, length))])
    .filter(([s, e]) => e >= s)
    .sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [s, e] of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  return merged.length === 0 ? [[0, 0]] : merged;
}

/**
 * Splits `budget` bytes (of JSON string form) over the spans: each kept whole, the rest shared out
 * as context on both sides. Context is counted in bytes, not characters, so characters that escape
 * long (controls, quotes) on one side cannot take the other side's share.
 */
function keptRanges(text: string, spans: readonly Span[], budget: number): Span[] {
  if (spans.length === 1 && spans[0]?.[0] === 0 && spans[0][1] === 0) return [[0, grow(text, 0, budget, 1)]];
  const matched = spans.reduce((n, [s, e]) => n + costBetween(text, s, e), 0);
  if (matched >= budget) {
    // Matches larger than the budget: keep the start of each, in order, while the budget lasts.
    let left = budget;
    return spans.flatMap(([s, e]): Span[] => {
      const end = Math.min(e, grow(text, s, left, 1));
      left -= costBetween(text, s, end);
      return end > s ? [[s, end]] : [];
    });
  }
  const context = Math.floor((budget - matched) / (2 * spans.length));
  const ranges: [number, number][] = [];
  for (const [s, e] of spans) {
    const start = grow(text, s, context, -1);
    const end = grow(text, e, context, 1);
    const last = ranges[ranges.length - 1];
    if (last !== undefined && start <= last[1]) last[1] = end;
    else ranges.push([start, end]);
  }
  return ranges;
}

/** How far from `at` (forward, or backward for -1) whole characters costing at most `bytes` reach. */
function grow(text: string, at: number, bytes: number, direction: 1 | -1): number {
  let i = at;
  let left = bytes;
  while (direction === 1 ? i < text.length : i > 0) {
    const width = direction === 1 ? charWidth(text, i) : backWidth(text, i);
    const from = direction === 1 ? i : i - width;
    const cost = jsonStringBytes(text.slice(from, from + width)) - 2;
    if (cost > left) break;
    left -= cost;
    i += direction * width;
  }
  return i;
}

function costBetween(text: string, start: number, end: number): number {
  return jsonStringBytes(text.slice(start, end)) - 2;
}

/** 2 for a surrogate pair starting at `i`, else 1. */
function charWidth(text: string, i: number): number {
  return isHighSurrogate(text.charCodeAt(i)) && isLowSurrogate(text.charCodeAt(i + 1)) ? 2 : 1;
}

/** 2 for a surrogate pair ending just before `i`, else 1. */
function backWidth(text: string, i: number): number {
  return i >= 2 && isLowSurrogate(text.charCodeAt(i - 1)) && isHighSurrogate(text.charCodeAt(i - 2)) ? 2 : 1;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function render(text: string, ranges: readonly Span[]): string {
  const parts: string[] = [];
  let at = 0;
  for (const [rawStart, rawEnd] of ranges) {
    const [start, end] = onCharacterBoundaries(text, rawStart, rawEnd);
    if (start > at) parts.push(cutMarker(droppedBytes(text.slice(at, start))));
    parts.push(text.slice(start, end));
    at = Math.max(at, end);
  }
  if (at < text.length) parts.push(cutMarker(droppedBytes(text.slice(at))));
  return parts.join('');
}

/** Never splits a surrogate pair: half of one would make the row invalid UTF-8. */
function onCharacterBoundaries(text: string, start: number, end: number): [number, number] {
  const s = start > 0 && isLowSurrogate(text.charCodeAt(start)) ? start + 1 : start;
  const e = end < text.length && isLowSurrogate(text.charCodeAt(end)) ? end - 1 : end;
  return [s, Math.max(s, e)];
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

function droppedBytes(piece: string): number {
  let earlier = 0;
  let markerBytes = 0;
  MARKER.lastIndex = 0;
  for (let m = MARKER.exec(piece); m !== null; m = MARKER.exec(piece)) {
    earlier += Number((m[1] ?? '0').replaceAll(',', ''));
    markerBytes += Buffer.byteLength(m[0]);
  }
  return Buffer.byteLength(piece) - markerBytes + earlier;
}

/** Bytes that earlier cuts removed from the strings of a value, net of their markers. */
export function markedCutBytes(value: unknown): number {
  if (typeof value === 'string') {
    if (!value.includes(' bytes cut]…')) return 0;
    return droppedBytes(value) - Buffer.byteLength(value);
  }
  if (typeof value !== 'object' || value === null) return 0;
  // A list's values are its elements.
  return Object.values(value).reduce((n: number, v) => n + markedCutBytes(v), 0);
}
