import { BlockList, isIP } from 'node:net';
import { RE2JS } from 're2js';
import { SigmaRuleError } from './diagnostics.js';
import type { EventDocument, TextForm } from './event-document.js';
import { normaliseText } from './event-document.js';
import { fieldPath, type FieldPath } from './field-path.js';
import { assertNever } from './assert-never.js';
import {
  MODIFIERS,
  checkValueType,
  isModifierName,
  parseModifiers,
  type Comparison,
  type ModifierSpec,
  type TimePart,
} from './modifiers.js';
import type { DetectionItem, ScalarValue } from './rule.js';
import {
  literalSigmaString,
  mapLiterals,
  parseSigmaString,
  plainText,
  withLeadingRun,
  withTrailingRun,
  type SigmaString,
} from './sigma-string.js';
import { compileStringPattern, testStringPattern, type StringPattern } from './string-pattern.js';
import { timestampPart } from './timestamp.js';
import { pcreOnlyConstruct } from './regex-dialect.js';

export type DocumentTest = (doc: EventDocument) => boolean;

/** A detection item compiled once into a closure over precompiled values. */
export interface CompiledItem {
  readonly field: FieldPath | null;
  readonly test: DocumentTest;
}

type Path = readonly (string | number)[];

export function compileItem(item: DetectionItem): CompiledItem {
  const spec = parseModifiers(item.modifiers, item.yamlPath);
  const field = item.field === null ? null : fieldPath(item.field);
  if (item.values.length === 0)
    throw new SigmaRuleError('invalid-value', 'an empty list of values never matches', item.yamlPath);
  if (spec.all && item.values.length === 1) {
    throw new SigmaRuleError(
      'invalid-modifier',
      'the Sigma specification does not allow "all" on a single value',
      item.yamlPath,
    );
  }
  for (const [index, value] of item.values.entries())
    checkValueType(value, item.modifiers, [...item.yamlPath, index]);
  if (field === null) return { field, test: compileKeywordItem(item, spec) };
  return { field, test: compileFieldItem(field, item, spec) };
}

function compileFieldItem(field: FieldPath, item: DetectionItem, spec: ModifierSpec): DocumentTest {
  if (spec.exists) return compileExists(field, item);
  const valueTests = item.values.map((value, index) =>
    compileFieldValue(field, value, spec, [...item.yamlPath, index]),
  );
  if (spec.neq) {
    // "Different from every value": the field must hold a value, and none of its values may match.
    return (doc) => {
      const lookup = doc.get(field);
      return lookup.values.some((v) => v !== null) && !valueTests.some((t) => t(doc));
    };
  }
  return combine(valueTests, spec.all);
}

function compileKeywordItem(item: DetectionItem, spec: ModifierSpec): DocumentTest {
  if (item.modifiers.some((name) => isModifierName(name) && !MODIFIERS[name].keyword)) {
    throw new SigmaRuleError(
      'invalid-modifier',
      `keyword lists take only string modifiers (got "${item.modifiers.join('|')}")`,
      item.yamlPath,
    );
  }
  const tests = item.values.map((value, index): DocumentTest => {
    const path = [...item.yamlPath, index];
    if (value === null || typeof value === 'boolean') {
      throw new SigmaRuleError(
        'invalid-value',
        `a keyword must be a string or number, not ${String(value)}`,
        path,
      );
    }
    if (spec.regex !== undefined) {
      const regex = compileRegex(String(value), spec.regex, path);
      return (doc) => doc.keywordTexts('cased').some((text) => regex.test(text));
    }
    const keywordSpec: ModifierSpec = spec.position === 'equals' ? { ...spec, position: 'contains' } : spec;
    const { patterns, form } = compileStringValues(value, keywordSpec, path);
    return (doc) => doc.keywordTexts(form).some((text) => patterns.some((p) => testStringPattern(p, text)));
  });
  return combine(tests, spec.all);
}

function compileExists(field: FieldPath, item: DetectionItem): DocumentTest {
  const [expected] = item.values;
  if (item.values.length !== 1 || typeof expected !== 'boolean') {
    throw new SigmaRuleError(
      'invalid-value',
      '"exists" takes exactly one boolean value (true or false)',
      item.yamlPath,
    );
  }
  return (doc) => doc.get(field).present === expected;
}

function compileFieldValue(
  field: FieldPath,
  value: ScalarValue,
  spec: ModifierSpec,
  path: Path,
): DocumentTest {
  // checkValueType lets null through with no modifier but `all`.
  if (value === null) {
    return (doc) => {
      const lookup = doc.get(field);
      return lookup.values.length === 0 || lookup.values.some((v) => v === null);
    };
  }
  if (spec.time !== undefined) return compileTime(field, value as number, spec.time, spec.comparison);
  if (spec.comparison !== undefined) return compileComparison(field, value as number, spec.comparison);
  if (spec.regex !== undefined) {
    const regex = compileRegex(value as string, spec.regex, path);
    return (doc) => doc.texts(field, 'cased').some((text) => regex.test(text));
  }
  if (spec.cidr) return compileCidr(field, value as string, path);
  if (spec.fieldref) return compileFieldRef(field, value as string, spec);
  const { patterns, form } = compileStringValues(value, spec, path);
  if (patterns.length === 1) {
    const [pattern] = patterns as [StringPattern];
    return (doc) => doc.texts(field, form).some((text) => testStringPattern(pattern, text));
  }
  return (doc) => doc.texts(field, form).some((text) => patterns.some((p) => testStringPattern(p, text)));
}

/** String, number and boolean values become string patterns: wildcards, encodings, position. */
function compileStringValues(
  value: string | number | boolean,
  spec: ModifierSpec,
  path: Path,
): { patterns: StringPattern[]; form: TextForm } {
  let variants: SigmaString[];
  let cased = spec.cased;
  if (spec.base64 !== undefined) {
    const text = typeof value === 'string' ? plainText(parseSigmaString(value)) : String(value);
    if (text === undefined)
      throw new SigmaRuleError('invalid-value', `wildcards cannot be ${spec.base64}-encoded`, path);
    const bytes = encodeText(text, spec.encoding);
    variants = (spec.base64 === 'base64' ? [bytes.toString('base64')] : base64OffsetVariants(bytes)).map(
      literalSigmaString,
    );
    // Base64 text is case-significant: folding it would match unrelated content.
    cased = true;
  } else {
    variants = [typeof value === 'string' ? parseSigmaString(value) : literalSigmaString(String(value))];
  }
  const form: TextForm = spec.windash
    ? cased
      ? 'cased-windash'
      : 'folded-windash'
    : cased
      ? 'cased'
      : 'folded';
  const patterns = variants.map((variant) => {
    let shaped = spec.windash ? mapLiterals(variant, (t) => normaliseText(t, 'cased-windash')) : variant;
    if (spec.position === 'contains' || spec.position === 'endswith') shaped = withLeadingRun(shaped);
    if (spec.position === 'contains' || spec.position === 'startswith') shaped = withTrailingRun(shaped);
    return compileStringPattern(shaped, cased);
  });
  return { patterns, form };
}

function encodeText(text: string, encoding: ModifierSpec['encoding']): Buffer {
  switch (encoding) {
    case undefined:
      return Buffer.from(text);
    case 'utf16le':
      return Buffer.from(text, 'utf16le');
    case 'utf16be':
      return Buffer.from(text, 'utf16le').swap16();
    case 'utf16':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    default:
      return assertNever(encoding);
  }
}

/** The three shifted encodings of a value that sits at an unknown offset inside base64 text. */
function base64OffsetVariants(bytes: Buffer): string[] {
  const starts = [0, 2, 3];
  const ends = [0, -3, -2];
  return [0, 1, 2].map((shift) => {
    const encoded = Buffer.concat([Buffer.alloc(shift, 0x20), bytes]).toString('base64');
    const end = ends[(bytes.length + shift) % 3] ?? 0;
    return encoded.slice(starts[shift], end === 0 ? undefined : end);
  });
}

/**
 * Compiled patterns by flags and source: rules repeat a pattern on several fields, and a compile
 * is the costly part of loading a rule. An RE2JS program is immutable; each test makes its own matcher.
 */
const compiledRegexes = new Map<string, RE2JS>();

function compileRegex(
  source: string,
  flags: { i: boolean; m: boolean; s: boolean },
  path: Path,
): { test(text: string): boolean } {
  let bits = 0;
  if (flags.i) bits |= RE2JS.CASE_INSENSITIVE;
  if (flags.m) bits |= RE2JS.MULTILINE;
  if (flags.s) bits |= RE2JS.DOTALL;
  try {
    const key = `${bits}/${source}`;
    let regex = compiledRegexes.get(key);
    if (regex === undefined) {
      regex = RE2JS.compile(source, bits);
      compiledRegexes.set(key, regex);
    }
    const compiled = regex;
    return { test: (text) => compiled.test(text) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const construct = pcreOnlyConstruct(source);
    throw new SigmaRuleError(
      'invalid-regex',
      construct === undefined
        ? `regular expression /${source}/ cannot run in linear time or is invalid: ${reason}`
        : `regular expression /${source}/ uses a ${construct}, a PCRE construct RE2 cannot run (RE2 runs every regex in linear time): ${reason}`,
      path,
    );
  }
}

function compileCidr(field: FieldPath, cidr: string, path: Path): DocumentTest {
  const [network, prefixText, extra] = cidr.split('/');
  const family = network === undefined ? 0 : isIP(network);
  const prefix = prefixText === undefined ? (family === 6 ? 128 : 32) : Number(prefixText);
  const maxPrefix = family === 6 ? 128 : 32;
  if (family === 0 || extra !== undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > maxPrefix) {
    throw new SigmaRuleError('invalid-value', `"${cidr}" is not an IPv4 or IPv6 CIDR network`, path);
  }
  const list = new BlockList();
  const type = family === 6 ? 'ipv6' : 'ipv4';
  list.addSubnet(network as string, prefix, type);
  return (doc) =>
    doc.texts(field, 'cased').some((text) => {
      const address = text.trim();
      const addressFamily = isIP(address);
      return addressFamily !== 0 && list.check(address, addressFamily === 6 ? 'ipv6' : 'ipv4');
    });
}

function compileFieldRef(field: FieldPath, otherName: string, spec: ModifierSpec): DocumentTest {
  const other = fieldPath(otherName);
  const form: TextForm = spec.cased ? 'cased' : 'folded';
  const relation = (subject: string, reference: string): boolean => {
    switch (spec.position) {
      case 'equals':
        return subject === reference;
      case 'contains':
        return subject.includes(reference);
      case 'startswith':
        return subject.startsWith(reference);
      case 'endswith':
        return subject.endsWith(reference);
      default:
        return assertNever(spec.position);
    }
  };
  return (doc) => {
    const references = doc.texts(other, form);
    return doc
      .texts(field, form)
      .some((subject) => references.some((reference) => relation(subject, reference)));
  };
}

function compileComparison(field: FieldPath, bound: number, comparison: Comparison): DocumentTest {
  const compare = comparator(comparison, bound);
  return (doc) =>
    doc.get(field).values.some((v) => {
      const n = numericValue(v);
      return n !== undefined && compare(n);
    });
}

function compileTime(
  field: FieldPath,
  bound: number,
  part: TimePart,
  comparison: Comparison | undefined,
): DocumentTest {
  const compare = comparison === undefined ? (n: number) => n === bound : comparator(comparison, bound);
  return (doc) =>
    doc.texts(field, 'cased').some((text) => {
      const n = timestampPart(text, part);
      return n !== undefined && compare(n);
    });
}

function comparator(comparison: Comparison, bound: number): (n: number) => boolean {
  switch (comparison) {
    case 'lt':
      return (n) => n < bound;
    case 'lte':
      return (n) => n <= bound;
    case 'gt':
      return (n) => n > bound;
    case 'gte':
      return (n) => n >= bound;
    default:
      return assertNever(comparison);
  }
}

const NUMERIC_TEXT = /^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?\s*$/i;

export function numericValue(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && NUMERIC_TEXT.test(value)) return Number(value);
  return undefined;
}

function combine(tests: readonly DocumentTest[], all: boolean): DocumentTest {
  if (tests.length === 1) return tests[0] as DocumentTest;
  return all ? (doc) => tests.every((t) => t(doc)) : (doc) => tests.some((t) => t(doc));
}
