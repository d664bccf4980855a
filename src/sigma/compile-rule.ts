import { assertNever } from './assert-never.js';
import { SigmaRuleError } from './diagnostics.js';
import { scalarText, type EventDocument } from './event-document.js';
import type { FieldPath } from './field-path.js';
import { compileItem, type DocumentTest } from './compile-item.js';
import { identifierSelector } from './identifier-pattern.js';
import type { ConditionNode, Detection, SigmaRule } from './rule.js';

/** A rule compiled once into closures; frozen, and safe to share across invocations. */
export interface CompiledRule {
  readonly rule: SigmaRule;
  readonly test: DocumentTest;
  /**
   * The search identifiers that hold for a document, each with the values of the fields it reads.
   * Called only for matches, to explain them.
   */
  explain(doc: EventDocument): Record<string, Record<string, unknown>>;
  /** Every field the rule's detections read, in order of first use. */
  readonly fields: readonly FieldPath[];
}

export function compileRule(rule: SigmaRule): CompiledRule {
  const fields = new Map<string, FieldPath>();
  const detections = new Map<string, DocumentTest>();
  const detectionFields = new Map<string, FieldPath[]>();
  for (const [name, detection] of rule.detections) {
    const own = new Map<string, FieldPath>();
    detections.set(name, compileDetection(detection, own));
    detectionFields.set(name, [...own.values()]);
    for (const [key, path] of own) fields.set(key, path);
  }
  const test = compileCondition(rule.condition, detections);
  const explain = (doc: EventDocument): Record<string, Record<string, unknown>> => {
    const matched: [string, Record<string, unknown>][] = [];
    for (const [name, detectionTest] of detections) {
      if (!detectionTest(doc)) continue;
      const values = (detectionFields.get(name) ?? []).flatMap((path): [string, unknown][] => {
        const found = doc.get(path).values.map((v) => scalarText(v) ?? v);
        return found.length === 0 ? [] : [[path.name, found.length === 1 ? found[0] : found]];
      });
      // fromEntries defines own properties, so a field named `__proto__` stays data.
      matched.push([name, Object.fromEntries(values)]);
    }
    return Object.fromEntries(matched);
  };
  return Object.freeze({ rule, test, fields: [...fields.values()], explain });
}

function compileDetection(detection: Detection, fields: Map<string, FieldPath>): DocumentTest {
  if (detection.kind === 'any') {
    const alternatives = detection.alternatives.map((d) => compileDetection(d, fields));
    return (doc) => alternatives.some((t) => t(doc));
  }
  const items = detection.items.map((item) => {
    const compiled = compileItem(item);
    if (compiled.field !== null) fields.set(compiled.field.name, compiled.field);
    return compiled.test;
  });
  if (items.length === 1) return items[0] as DocumentTest;
  return (doc) => items.every((t) => t(doc));
}

const CONDITION_PATH = ['detection', 'condition'];

function compileCondition(node: ConditionNode, detections: ReadonlyMap<string, DocumentTest>): DocumentTest {
  switch (node.kind) {
    case 'ref': {
      const test = detections.get(node.name);
      if (test === undefined) {
        throw new SigmaRuleError(
          'unknown-identifier',
          `the condition names "${node.name}", which is not a search identifier of this rule`,
          CONDITION_PATH,
        );
      }
      return test;
    }
    case 'not': {
      const child = compileCondition(node.child, detections);
      return (doc) => !child(doc);
    }
    case 'and': {
      const children = node.children.map((c) => compileCondition(c, detections));
      return (doc) => children.every((t) => t(doc));
    }
    case 'or': {
      const children = node.children.map((c) => compileCondition(c, detections));
      return (doc) => children.some((t) => t(doc));
    }
    case 'of': {
      const selected = selectIdentifiers(node.pattern, detections);
      if (selected.length === 0) {
        throw new SigmaRuleError(
          'unknown-identifier',
          `"of ${node.pattern ?? 'them'}" selects no search identifier of this rule`,
          CONDITION_PATH,
        );
      }
      return node.quantifier === 'all'
        ? (doc) => selected.every((t) => t(doc))
        : (doc) => selected.some((t) => t(doc));
    }
    default:
      return assertNever(node);
  }
}

function selectIdentifiers(
  pattern: string | null,
  detections: ReadonlyMap<string, DocumentTest>,
): DocumentTest[] {
  const matches = identifierSelector(pattern);
  return [...detections].filter(([name]) => matches(name)).map(([, test]) => test);
}
