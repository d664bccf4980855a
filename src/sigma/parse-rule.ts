import { SigmaRuleError } from './diagnostics.js';
import { parseCondition } from './condition.js';
import { isRecord } from '../util/is-record.js';
import type {
  ConditionNode,
  Detection,
  DetectionItem,
  RuleLevel,
  ScalarValue,
  SigmaLogSource,
  SigmaRule,
} from './rule.js';

/**
 * Turns a schema-valid rule document into the typed rule model. The schema has already checked
 * shapes; this resolves field keys and modifiers and parses the condition.
 */
export function parseRule(document: Record<string, unknown>, file: string): SigmaRule {
  const detectionDoc = document['detection'] as Record<string, unknown>;
  const detections = new Map<string, Detection>();
  for (const [name, value] of Object.entries(detectionDoc)) {
    if (name === 'condition' || name === 'timeframe') continue;
    detections.set(name, parseSearchIdentifier(value, ['detection', name]));
  }
  if (detectionDoc['timeframe'] !== undefined) {
    throw new SigmaRuleError(
      'unsupported-feature',
      '"timeframe" belongs to aggregations and correlations, which this engine does not evaluate',
      ['detection', 'timeframe'],
      'timeframe',
      true,
    );
  }
  const condition = parseConditions(detectionDoc['condition'] as string | string[]);
  const logsource = document['logsource'] as Record<string, unknown>;
  const falsepositives = document['falsepositives'];
  return Object.freeze({
    file,
    id: optionalString(document['id']),
    title: document['title'] as string,
    // Metadata that fails the schema is a warning, so it is read defensively.
    level: LEVELS.find((l) => l === document['level']),
    status: optionalString(document['status']),
    tags: stringList(document['tags']),
    logsource: pickLogSource(logsource),
    falsepositives: typeof falsepositives === 'string' ? [falsepositives] : stringList(falsepositives),
    detections,
    condition,
  });
}

function parseConditions(condition: string | string[]): ConditionNode {
  if (typeof condition === 'string') return parseCondition(condition, ['detection', 'condition']);
  const children = condition.map((c, i) => parseCondition(c, ['detection', 'condition', i]));
  // The specification links the conditions of a list with OR.
  return children.length === 1 ? (children[0] as ConditionNode) : { kind: 'or', children };
}

function parseSearchIdentifier(value: unknown, path: readonly (string | number)[]): Detection {
  if (isRecord(value)) return parseMap(value, path);
  if (Array.isArray(value)) {
    if (value.every(isKeyword)) {
      return {
        kind: 'all',
        items: [{ field: null, modifiers: [], values: value, yamlPath: path }],
      };
    }
    const alternatives = value.map((element, i): Detection => {
      const elementPath = [...path, i];
      if (isRecord(element)) return parseMap(element, elementPath);
      if (isKeyword(element))
        return {
          kind: 'all',
          items: [{ field: null, modifiers: [], values: [element], yamlPath: elementPath }],
        };
      throw new SigmaRuleError(
        'invalid-value',
        'a list under a search identifier holds keywords or maps',
        elementPath,
      );
    });
    return { kind: 'any', alternatives };
  }
  if (isKeyword(value))
    return { kind: 'all', items: [{ field: null, modifiers: [], values: [value], yamlPath: path }] };
  throw new SigmaRuleError('invalid-value', 'a search identifier must be a map, a list or a keyword', path);
}

function parseMap(map: Record<string, unknown>, path: readonly (string | number)[]): Detection {
  const items: DetectionItem[] = Object.entries(map).map(([key, raw]) => {
    const itemPath = [...path, key];
    const [field = '', ...modifiers] = key.split('|');
    const values = Array.isArray(raw) ? raw : [raw];
    for (const [i, v] of values.entries()) {
      if (!isScalar(v))
        throw new SigmaRuleError('invalid-value', 'a field value must be a string, number, boolean or null', [
          ...itemPath,
          i,
        ]);
    }
    // `'|all': [...]` is the specification's form for keywords joined with AND.
    return {
      field: field === '' ? null : field,
      modifiers,
      values: values as ScalarValue[],
      yamlPath: itemPath,
    };
  });
  if (items.length === 0) throw new SigmaRuleError('invalid-value', 'an empty map matches nothing', path);
  return { kind: 'all', items };
}

function isScalar(value: unknown): value is ScalarValue {
  return (
    value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
  );
}

function isKeyword(value: unknown): value is string | number {
  return typeof value === 'string' || typeof value === 'number';
}

const LEVELS: readonly RuleLevel[] = ['informational', 'low', 'medium', 'high', 'critical'];

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function pickLogSource(logsource: Record<string, unknown>): SigmaLogSource {
  const out: { category?: string; product?: string; service?: string } = {};
  for (const key of ['category', 'product', 'service'] as const) {
    const v = logsource[key];
    if (typeof v === 'string') out[key] = v;
  }
  return out;
}
