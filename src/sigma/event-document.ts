import { isRecord } from '../util/is-record.js';
import { assertNever } from './assert-never.js';
import { lookupField, MAX_FIELD_DEPTH, type FieldLookup, type FieldPath } from './field-path.js';
import { foldCase } from './string-pattern.js';

/** How a value's text is normalised before string patterns run on it. */
export type TextForm = 'cased' | 'folded' | 'cased-windash' | 'folded-windash';

/**
 * What the matcher sees of a record, whatever its source. Implementations memoise, so a field
 * is resolved and case-folded at most once per record however many rules ask for it.
 */
export interface EventDocument {
  get(path: FieldPath): FieldLookup;
  texts(path: FieldPath, form: TextForm): readonly string[];
  /** Every string value in the record, for keyword search. */
  keywordTexts(form: TextForm): readonly string[];
  /**
   * The nesting bounds the record exceeded while rules read it, each saying what was not read;
   * reported as problems of the record, so a value hidden below a bound is never a silent non-match.
   */
  limitsExceeded(): readonly string[];
}

/** A document over a plain JSON object; sources extend it to add aliases and derived fields. */
export class JsonEventDocument implements EventDocument {
  // Created on first use: most records are ruled out after a field or two, or none.
  private lookups: Map<string, FieldLookup> | undefined;
  private textCache: Map<string, readonly string[]> | undefined;
  private keywordCache: Map<TextForm, readonly string[]> | undefined;
  private exceeded: Set<string> | undefined;

  constructor(protected readonly root: Record<string, unknown>) {}

  get(path: FieldPath): FieldLookup {
    this.lookups ??= new Map();
    let lookup = this.lookups.get(path.name);
    if (lookup === undefined) {
      lookup = this.resolve(path);
      this.lookups.set(path.name, lookup);
      if (lookup.tooDeep === true)
        this.exceed(`field ${path.name}: nested deeper than ${MAX_FIELD_DEPTH} levels, not read below`);
    }
    return lookup;
  }

  texts(path: FieldPath, form: TextForm): readonly string[] {
    const key = `${form}\u0000${path.name}`;
    this.textCache ??= new Map();
    let texts = this.textCache.get(key);
    if (texts === undefined) {
      texts = toTexts(this.get(path).values, form);
      this.textCache.set(key, texts);
    }
    return texts;
  }

  keywordTexts(form: TextForm): readonly string[] {
    this.keywordCache ??= new Map();
    let texts = this.keywordCache.get(form);
    if (texts === undefined) {
      const raw: string[] = [];
      if (collectStrings(this.keywordRoot(), raw, 0))
        this.exceed(`keywords: the record nests deeper than ${MAX_KEYWORD_DEPTH} levels, not searched below`);
      texts = raw.map((s) => normaliseText(s, form));
      this.keywordCache.set(form, texts);
    }
    return texts;
  }

  limitsExceeded(): readonly string[] {
    return this.exceeded === undefined ? [] : [...this.exceeded];
  }

  private exceed(what: string): void {
    this.exceeded ??= new Set();
    this.exceeded.add(what);
  }

  /** Resolves a field the document does not hold natively; sources override it for aliases. */
  protected resolve(path: FieldPath): FieldLookup {
    return lookupField(this.root, path);
  }

  protected keywordRoot(): unknown {
    return this.root;
  }
}

/** Text forms of scalar values: strings as they are, numbers and booleans as JSON would print them. */
export function toTexts(values: readonly unknown[], form: TextForm): string[] {
  const out: string[] = [];
  for (const value of values) {
    const text = scalarText(value);
    if (text !== undefined) out.push(normaliseText(text, form));
  }
  return out;
}

export function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return undefined;
}

const DASHES = /[-/\u2013\u2014\u2015]/g;

export function normaliseText(text: string, form: TextForm): string {
  switch (form) {
    case 'cased':
      return text;
    case 'folded':
      return foldCase(text);
    case 'cased-windash':
      return text.replace(DASHES, '-');
    case 'folded-windash':
      return foldCase(text).replace(DASHES, '-');
    default:
      return assertNever(form);
  }
}

const MAX_KEYWORD_DEPTH = 64;

/** Collects every string value; true when some lie deeper than the bound and were not collected. */
function collectStrings(node: unknown, out: string[], depth: number): boolean {
  if (typeof node === 'string') {
    out.push(node);
    return false;
  }
  const children = Array.isArray(node) ? node : isRecord(node) ? Object.values(node) : [];
  if (children.length === 0) return false;
  if (depth >= MAX_KEYWORD_DEPTH) return true;
  let tooDeep = false;
  for (const child of children) tooDeep = collectStrings(child, out, depth + 1) || tooDeep;
  return tooDeep;
}
