import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileRule } from '../../src/sigma/compile-rule.js';
import { JsonEventDocument } from '../../src/sigma/event-document.js';
import type {
  ConditionNode,
  Detection,
  DetectionItem,
  ScalarValue,
  SigmaRule,
} from '../../src/sigma/rule.js';
import { referenceMatches } from '../reference/evaluate.js';

const RUNS = Number(process.env['PROPERTY_RUNS'] ?? 400);

// The astral character checks that `?` takes one code point, not one UTF-16 unit.
const textChar = fc.constantFrom('a', 'b', 'A', 'B', '-', '/', '\u2013', ' ', 'ß', 'İ', '\u{1F600}');
const patternChar = fc.constantFrom('a', 'b', 'A', '-', '/', '\u2014', ' ', '*', '?', '\\', 'İ', '\u{1F600}');
const text = fc.string({ unit: textChar, maxLength: 6 });
const patternText = fc.string({ unit: patternChar, maxLength: 5 });

const fieldValue: fc.Arbitrary<unknown> = fc.oneof(
  text,
  fc.integer({ min: -3, max: 12 }),
  fc.constant(null),
  fc.boolean(),
  fc.array(text, { maxLength: 3 }),
);

const record = fc.record(
  {
    f: fieldValue,
    g: fieldValue,
    n: fc.oneof(
      fc.record({ m: fieldValue }, { requiredKeys: [] }),
      fc.array(fc.record({ m: fieldValue }), { maxLength: 2 }),
    ),
    'n.m': fieldValue,
  },
  { requiredKeys: [] },
);

const fieldName = fc.constantFrom('f', 'g', 'n.m', 'absent');

const stringItem = fc
  .record({
    field: fieldName,
    position: fc.constantFrom([], ['contains'], ['startswith'], ['endswith']),
    cased: fc.boolean(),
    windash: fc.boolean(),
    values: fc.array(fc.oneof(patternText, fc.integer({ min: 0, max: 10 })), { minLength: 1, maxLength: 3 }),
    all: fc.boolean(),
  })
  .map(({ field, position, cased, windash, values, all }): DetectionItem => ({
    field,
    modifiers: [
      ...position,
      ...(windash ? ['windash'] : []),
      ...(cased ? ['cased'] : []),
      ...(all && values.length > 1 ? ['all'] : []),
    ],
    values,
    yamlPath: [],
  }));

const otherItem: fc.Arbitrary<DetectionItem> = fc.oneof(
  fc
    .record({ field: fieldName, v: fc.boolean() })
    .map(({ field, v }) => ({ field, modifiers: ['exists'], values: [v], yamlPath: [] })),
  fc
    .record({
      field: fieldName,
      op: fc.constantFrom('lt', 'lte', 'gt', 'gte'),
      v: fc.integer({ min: -2, max: 12 }),
    })
    .map(({ field, op, v }) => ({ field, modifiers: [op], values: [v], yamlPath: [] })),
  fc
    .record({ field: fieldName })
    .map(({ field }) => ({ field, modifiers: [], values: [null as ScalarValue], yamlPath: [] })),
  fc
    .record({
      field: fieldName,
      re: fc.array(fc.constantFrom('a', 'b', 'A', '.', 'a*', '(a|b)', 'b+', '^', '$', '[ab]'), {
        minLength: 1,
        maxLength: 4,
      }),
      flags: fc.subarray(['i', 'm', 's']),
    })
    .map(({ field, re, flags }) => ({
      field,
      modifiers: ['re', ...flags],
      values: [re.join('')],
      yamlPath: [],
    })),
  fc
    .record({ values: fc.array(patternText, { minLength: 1, maxLength: 2 }), cased: fc.boolean() })
    .map(({ values, cased }) => ({ field: null, modifiers: cased ? ['cased'] : [], values, yamlPath: [] })),
);

const detection: fc.Arbitrary<Detection> = fc.oneof(
  fc
    .array(fc.oneof(stringItem, otherItem), { minLength: 1, maxLength: 3 })
    .map((items): Detection => ({ kind: 'all', items })),
  fc
    .array(fc.array(stringItem, { minLength: 1, maxLength: 2 }), { minLength: 2, maxLength: 3 })
    .map((alts): Detection => ({ kind: 'any', alternatives: alts.map((items) => ({ kind: 'all', items })) })),
);

const NAMES = ['sel_a', 'sel_b', 'filter', '_aux'];

const condition: fc.Arbitrary<ConditionNode> = fc.letrec<{ node: ConditionNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...NAMES).map((name): ConditionNode => ({ kind: 'ref', name })),
    fc
      .record({ q: fc.constantFrom('one', 'all'), p: fc.constantFrom('sel_*', null, '*', '*a*') })
      .map(({ q, p }): ConditionNode => ({ kind: 'of', quantifier: q, pattern: p })),
    tie('node').map((child): ConditionNode => ({ kind: 'not', child })),
    fc
      .array(tie('node'), { minLength: 2, maxLength: 3 })
      .map((children): ConditionNode => ({ kind: 'and', children })),
    fc
      .array(tie('node'), { minLength: 2, maxLength: 3 })
      .map((children): ConditionNode => ({ kind: 'or', children })),
  ),
})).node;

const rule = fc
  .record({ detections: fc.tuple(...NAMES.map(() => detection)), condition })
  .map(({ detections, condition: cond }): SigmaRule => ({
    file: 'generated.yml',
    id: undefined,
    title: 'generated',
    level: 'low',
    status: undefined,
    tags: [],
    logsource: { product: 'azure', service: 'activitylogs' },
    falsepositives: [],
    detections: new Map(NAMES.map((n, i) => [n, detections[i] as Detection])),
    condition: cond,
  }));

describe('compiled matcher agrees with the reference evaluator', () => {
  it('on random rules and records', () => {
    fc.assert(
      fc.property(rule, fc.array(record, { minLength: 1, maxLength: 8 }), (r, records) => {
        const compiled = compileRule(r);
        for (const rec of records) {
          expect(compiled.test(new JsonEventDocument(rec as Record<string, unknown>))).toBe(
            referenceMatches(r, rec as Record<string, unknown>),
          );
        }
      }),
      { numRuns: RUNS },
    );
  });
});
