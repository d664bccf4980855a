/**
 * A deliberately naive Sigma evaluator that walks the parsed rule directly: no compilation, no
 * caching, patterns turned into RegExps on every call. It exists to be obviously correct, so the
 * compiled matcher can be checked against it.
 */
import type { ConditionNode, Detection, DetectionItem, SigmaRule } from '../../src/sigma/rule.js';

type Rec = Record<string, unknown>;

export function referenceMatches(rule: SigmaRule, record: Rec): boolean {
  return evalCondition(rule.condition, rule, record);
}

function evalCondition(node: ConditionNode, rule: SigmaRule, record: Rec): boolean {
  switch (node.kind) {
    case 'ref':
      return evalDetection(rule.detections.get(node.name) as Detection, record);
    case 'not':
      return !evalCondition(node.child, rule, record);
    case 'and':
      return node.children.every((c) => evalCondition(c, rule, record));
    case 'or':
      return node.children.some((c) => evalCondition(c, rule, record));
    case 'of': {
      // Identifiers starting with `_` are left out by `them` and by patterns alike.
      const names = [...rule.detections.keys()].filter(
        (n) =>
          !n.startsWith('_') &&
          (node.pattern === null ||
            new RegExp(`^${node.pattern.split('*').map(escapeRe).join('.*')}$`, 'u').test(n)),
      );
      const results = names.map((n) => evalDetection(rule.detections.get(n) as Detection, record));
      return node.quantifier === 'all' ? results.every(Boolean) : results.some(Boolean);
    }
  }
}

function evalDetection(detection: Detection, record: Rec): boolean {
  if (detection.kind === 'any') return detection.alternatives.some((d) => evalDetection(d, record));
  return detection.items.every((item) => evalItem(item, record));
}

function evalItem(item: DetectionItem, record: Rec): boolean {
  const mods = new Set(item.modifiers);
  const found =
    item.field === null
      ? { present: true, values: allStrings(record) }
      : resolve(record, item.field.split('.'));
  if (mods.has('exists')) return found.present === item.values[0];
  const results = item.values.map((value) => {
    if (value === null) return found.values.length === 0 || found.values.includes(null);
    for (const op of ['lt', 'lte', 'gt', 'gte'] as const) {
      if (mods.has(op)) {
        return found.values.some((v) => {
          const n =
            typeof v === 'number'
              ? v
              : typeof v === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(v)
                ? Number(v)
                : NaN;
          if (Number.isNaN(n)) return false;
          const bound = value as number;
          return op === 'lt' ? n < bound : op === 'lte' ? n <= bound : op === 'gt' ? n > bound : n >= bound;
        });
      }
    }
    const texts = found.values.flatMap((v) =>
      typeof v === 'string' ? [v] : typeof v === 'number' || typeof v === 'boolean' ? [String(v)] : [],
    );
    if (mods.has('re')) {
      const flags = (mods.has('i') ? 'i' : '') + (mods.has('m') ? 'm' : '') + (mods.has('s') ? 's' : '');
      return texts.some((t) => new RegExp(String(value), flags).test(t));
    }
    const cased = mods.has('cased');
    const windash = mods.has('windash');
    const norm = (t: string) => {
      const c = cased ? t : t.toLowerCase();
      return windash ? c.replace(/[-/\u2013\u2014\u2015]/g, '-') : c;
    };
    let pattern = sigmaToRegexSource(String(value), norm);
    const keyword = item.field === null;
    if (mods.has('contains') || (keyword && !mods.has('startswith') && !mods.has('endswith')))
      pattern = `[\\s\\S]*${pattern}[\\s\\S]*`;
    else if (mods.has('startswith')) pattern = `${pattern}[\\s\\S]*`;
    else if (mods.has('endswith')) pattern = `[\\s\\S]*${pattern}`;
    // `u`: `?` is one code point, an astral character included.
    const re = new RegExp(`^${pattern}$`, 'u');
    return texts.some((t) => re.test(norm(t)));
  });
  return mods.has('all') ? results.every(Boolean) : results.some(Boolean);
}

function sigmaToRegexSource(value: string, norm: (t: string) => string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (c === '\\' && ['*', '?', '\\'].includes(value[i + 1] ?? '')) {
      out += escapeRe(norm(value[i + 1] as string));
      i++;
    } else if (c === '*') out += '[\\s\\S]*';
    else if (c === '?') out += '[\\s\\S]';
    else out += escapeRe(norm(c));
  }
  return out;
}

function resolve(node: unknown, parts: string[]): { present: boolean; values: unknown[] } {
  if (parts.length === 0)
    return { present: true, values: Array.isArray(node) ? node.flat(Infinity) : [node] };
  if (Array.isArray(node)) {
    const each = node.map((n) => resolve(n, parts));
    return { present: each.some((e) => e.present), values: each.flatMap((e) => e.values) };
  }
  if (typeof node !== 'object' || node === null) return { present: false, values: [] };
  let present = false;
  const values: unknown[] = [];
  for (let k = parts.length; k >= 1; k--) {
    const key = parts.slice(0, k).join('.');
    if (Object.hasOwn(node, key)) {
      const r = resolve((node as Rec)[key], parts.slice(k));
      present ||= r.present;
      values.push(...r.values);
    }
  }
  return { present, values };
}

function allStrings(node: unknown): string[] {
  if (typeof node === 'string') return [node];
  if (Array.isArray(node)) return node.flatMap(allStrings);
  if (typeof node === 'object' && node !== null) return Object.values(node).flatMap(allStrings);
  return [];
}

function escapeRe(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
