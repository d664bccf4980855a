import { assertNever } from './assert-never.js';
import { SigmaRuleError } from './diagnostics.js';
import type { ScalarValue } from './rule.js';

export type Position = 'equals' | 'contains' | 'startswith' | 'endswith';
export type Comparison = 'lt' | 'lte' | 'gt' | 'gte';
export type TimePart = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';
export type Encoding = 'utf16le' | 'utf16be' | 'utf16';
type RegexFlag = 'i' | 'm' | 's';

export type ModifierName =
  | Exclude<Position, 'equals'>
  | 're'
  | 'cidr'
  | Comparison
  | 'exists'
  | 'windash'
  | 'base64'
  | 'base64offset'
  | Encoding
  | 'wide'
  | RegexFlag
  | TimePart
  | 'all'
  | 'cased'
  | 'neq'
  | 'fieldref';

/**
 * Grouped as sigma-rust's modifier enum is: how a value is matched, how it is transformed before
 * matching, sub-modifiers of `re`, timestamp parts, and flags.
 */
export type ModifierGroup = 'match' | 'transform' | 'regex-flag' | 'timestamp' | 'flag';

/** The step of the compiler a modifier drives; `parseModifiers` switches on it exhaustively. */
export type CompileStep =
  | 'position'
  | 'regex'
  | 'regex-flag'
  | 'cidr'
  | 'compare'
  | 'exists'
  | 'windash'
  | 'base64'
  | 'encoding'
  | 'time'
  | 'logic'
  | 'case'
  | 'neq'
  | 'fieldref';

export type ValueType = 'string' | 'number' | 'boolean' | 'null';

export interface ModifierDefinition {
  readonly group: ModifierGroup;
  readonly compiles: CompileStep;
  /** The YAML value types it takes. */
  readonly accepts: readonly ValueType[];
  /**
   * The modifiers that may stand anywhere before it: modifiers apply left to right, so this is
   * what it can take as input. `'any'` marks flags whose place in the chain does not matter.
   */
  readonly follows: readonly ModifierName[] | 'any';
  /** Whether a keyword list (an item without a field) takes it. */
  readonly keyword: boolean;
  /** Whether the prefilter may require the literal text of a value with this modifier in the raw body. */
  readonly literals: boolean;
  /** What it does, in a few words (lint messages, README). */
  readonly summary: string;
}

const TEXT: readonly ValueType[] = ['string', 'number'];
const ENCODINGS: readonly ModifierName[] = ['utf16le', 'utf16be', 'utf16', 'wide'];
const POSITIONS: readonly ModifierName[] = ['contains', 'startswith', 'endswith'];
const TIME_PARTS: readonly ModifierName[] = ['minute', 'hour', 'day', 'week', 'month', 'year'];

type Family = Omit<ModifierDefinition, 'summary'>;

/** `keyword` and `literals` default to false: a modifier is kept from keywords and the prefilter until it says otherwise. */
function family(
  definition: Omit<Family, 'keyword' | 'literals'> & Partial<Pick<Family, 'keyword' | 'literals'>>,
): (summary: string) => ModifierDefinition {
  return (summary) => ({ keyword: false, literals: false, ...definition, summary });
}

const position = family({
  group: 'match',
  compiles: 'position',
  accepts: TEXT,
  follows: ['base64', 'base64offset', ...ENCODINGS, 'windash', 'cased', 'fieldref'],
  keyword: true,
  literals: true,
});
const comparison = family({ group: 'match', compiles: 'compare', accepts: ['number'], follows: TIME_PARTS });
const base64 = family({
  group: 'transform',
  compiles: 'base64',
  accepts: TEXT,
  follows: ENCODINGS,
  keyword: true,
});
const encoding = family({
  group: 'transform',
  compiles: 'encoding',
  accepts: TEXT,
  follows: [],
  keyword: true,
});
const regexFlag = family({
  group: 'regex-flag',
  compiles: 'regex-flag',
  accepts: ['string'],
  follows: ['re', 'i', 'm', 's'],
  keyword: true,
});
const timestampPart = family({ group: 'timestamp', compiles: 'time', accepts: ['number'], follows: [] });

/** Every modifier this engine knows: one table, read by the parser, the compiler, the prefilter, lint and the README test. */
export const MODIFIERS: { readonly [N in ModifierName]: ModifierDefinition } = {
  contains: position('the value occurs anywhere in the field'),
  startswith: position('the field starts with the value'),
  endswith: position('the field ends with the value'),
  re: family({ group: 'match', compiles: 'regex', accepts: ['string'], follows: [], keyword: true })(
    'RE2 regular expression, unanchored and case-sensitive',
  ),
  cidr: family({ group: 'match', compiles: 'cidr', accepts: ['string'], follows: [] })(
    'the field is an IP address in the IPv4 or IPv6 network',
  ),
  lt: comparison('numeric less than'),
  lte: comparison('numeric less than or equal'),
  gt: comparison('numeric greater than'),
  gte: comparison('numeric greater than or equal'),
  exists: family({ group: 'match', compiles: 'exists', accepts: ['boolean'], follows: [] })(
    'the field is present (true) or absent (false)',
  ),
  windash: family({
    group: 'transform',
    compiles: 'windash',
    accepts: TEXT,
    follows: [...POSITIONS, 'cased'],
    keyword: true,
    literals: true,
  })('a dash also matches /, en dash, em dash and horizontal bar'),
  base64: base64('matches the base64 encoding of a literal value'),
  base64offset: base64('the three base64 encodings of a literal value at any byte offset'),
  utf16le: encoding('encodes the value as UTF-16LE before base64'),
  utf16be: encoding('encodes the value as UTF-16BE before base64'),
  utf16: encoding('encodes the value as UTF-16 with a byte order mark before base64'),
  wide: encoding('the same as utf16le'),
  i: regexFlag('re: case-insensitive'),
  m: regexFlag('re: ^ and $ match at line breaks'),
  s: regexFlag('re: . matches a line break'),
  minute: timestampPart('the minute of a timestamp (UTC)'),
  hour: timestampPart('the hour of a timestamp (UTC)'),
  day: timestampPart('the day of the month of a timestamp (UTC)'),
  week: timestampPart('the ISO week of a timestamp (UTC)'),
  month: timestampPart('the month of a timestamp (UTC)'),
  year: timestampPart('the year of a timestamp (UTC)'),
  all: family({
    group: 'flag',
    compiles: 'logic',
    accepts: ['string', 'number', 'boolean', 'null'],
    follows: 'any',
    keyword: true,
    literals: true,
  })('every value must match (AND instead of OR)'),
  cased: family({
    group: 'flag',
    compiles: 'case',
    accepts: TEXT,
    follows: [...POSITIONS, 'windash', 'base64', 'base64offset', ...ENCODINGS, 'fieldref'],
    keyword: true,
    literals: true,
  })('case-sensitive matching'),
  neq: family({ group: 'flag', compiles: 'neq', accepts: ['string', 'number', 'boolean'], follows: 'any' })(
    'the field holds a value different from every listed value',
  ),
  fieldref: family({ group: 'flag', compiles: 'fieldref', accepts: ['string'], follows: [] })(
    'the value names another field of the same record',
  ),
};

export function isModifierName(name: string): name is ModifierName {
  return Object.hasOwn(MODIFIERS, name);
}

/**
 * Whether the prefilter may derive literals from an item with these modifiers: only when every
 * modifier is known and marked so. A modifier added to the table is excluded until it says so.
 */
export function literalsDerivable(names: readonly string[]): boolean {
  return names.every((name) => isModifierName(name) && MODIFIERS[name].literals);
}

/** The modifiers of one detection item, validated and reduced to what the compiler needs. */
export interface ModifierSpec {
  readonly position: Position;
  readonly all: boolean;
  readonly cased: boolean;
  readonly exists: boolean;
  readonly regex: { readonly i: boolean; readonly m: boolean; readonly s: boolean } | undefined;
  readonly windash: boolean;
  readonly encoding: Encoding | undefined;
  readonly base64: 'base64' | 'base64offset' | undefined;
  readonly cidr: boolean;
  readonly comparison: Comparison | undefined;
  readonly neq: boolean;
  readonly fieldref: boolean;
  readonly time: TimePart | undefined;
}

type Path = readonly (string | number)[];

export function parseModifiers(names: readonly string[], yamlPath: Path): ModifierSpec {
  const fail = (message: string): never => {
    throw new SigmaRuleError('invalid-modifier', message, yamlPath);
  };
  const chain = names.join('|');
  const known: ModifierName[] = [];
  for (const raw of names) {
    if (raw === 'expand') {
      throw new SigmaRuleError(
        'unsupported-feature',
        'the "expand" modifier needs placeholder values from a processing pipeline, which this engine does not have',
        yamlPath,
        'expand (placeholders)',
        true,
      );
    }
    if (!isModifierName(raw)) return fail(`unknown modifier "${raw}"`);
    if (known.includes(raw)) fail(`modifier "${raw}" is given twice`);
    checkOrder(raw, known, chain, fail);
    known.push(raw);
  }
  const spec = reduce(known);
  checkCombination(spec, known, chain, fail);
  return spec;
}

/** Modifiers apply left to right: each must be able to take what the ones before it made. */
function checkOrder(
  name: ModifierName,
  before: readonly ModifierName[],
  chain: string,
  fail: (message: string) => never,
): void {
  const { follows } = MODIFIERS[name];
  if (follows === 'any') return;
  const wrong = before.find(
    (previous) => MODIFIERS[previous].follows !== 'any' && !follows.includes(previous),
  );
  if (wrong === undefined) return;
  const allowed = follows.length === 0 ? 'nothing but all/neq' : follows.join(', ');
  fail(
    `"${name}" cannot follow "${wrong}" in "${chain}": modifiers apply left to right, and "${name}" (${MODIFIERS[name].summary}) may only follow ${allowed}`,
  );
}

function reduce(names: readonly ModifierName[]): ModifierSpec {
  let position: Position = 'equals';
  let regex: { i: boolean; m: boolean; s: boolean } | undefined;
  let encodingName: Encoding | undefined;
  let base64: 'base64' | 'base64offset' | undefined;
  let comparisonName: Comparison | undefined;
  let time: TimePart | undefined;
  const flags = {
    all: false,
    cased: false,
    exists: false,
    windash: false,
    cidr: false,
    neq: false,
    fieldref: false,
  };
  for (const name of names) {
    const step = MODIFIERS[name].compiles;
    switch (step) {
      case 'position':
        position = name as Position;
        break;
      case 'regex':
        regex = { i: false, m: false, s: false };
        break;
      case 'regex-flag':
        // checkOrder has made sure `re` came first.
        if (regex !== undefined) regex[name as RegexFlag] = true;
        break;
      case 'encoding':
        encodingName = name === 'wide' ? 'utf16le' : (name as Encoding);
        break;
      case 'base64':
        base64 = name as 'base64' | 'base64offset';
        break;
      case 'compare':
        comparisonName = name as Comparison;
        break;
      case 'time':
        time = name as TimePart;
        break;
      case 'logic':
        flags.all = true;
        break;
      case 'case':
        flags.cased = true;
        break;
      case 'exists':
        flags.exists = true;
        break;
      case 'windash':
        flags.windash = true;
        break;
      case 'cidr':
        flags.cidr = true;
        break;
      case 'neq':
        flags.neq = true;
        break;
      case 'fieldref':
        flags.fieldref = true;
        break;
      default:
        assertNever(step);
    }
  }
  return { position, regex, encoding: encodingName, base64, comparison: comparisonName, time, ...flags };
}

/** What order cannot express: modifiers that exclude each other wherever they stand. */
function checkCombination(
  spec: ModifierSpec,
  names: readonly ModifierName[],
  chain: string,
  fail: (message: string) => never,
): void {
  const flag = names.find((name) => MODIFIERS[name].group === 'regex-flag');
  if (flag !== undefined && spec.regex === undefined)
    fail(`"${flag}" is a sub-modifier of "re" and must follow it`);
  if (spec.exists && names.length > 1) fail(`"exists" takes no other modifier (got "${chain}")`);
  if (spec.encoding !== undefined && spec.base64 === undefined)
    fail(`"${spec.encoding}" is only defined together with base64 or base64offset`);
  if (spec.neq && spec.comparison !== undefined) fail(`"neq" cannot be combined with "${spec.comparison}"`);
  if (spec.neq && spec.cidr) fail(`"cidr" cannot be combined with "${chain}"`);
}

/** Checks a value against every modifier of its item; `null` is taken by `all` alone. */
export function checkValueType(value: ScalarValue, names: readonly string[], path: Path): void {
  const type: ValueType = value === null ? 'null' : (typeof value as 'string' | 'number' | 'boolean');
  for (const name of names) {
    if (!isModifierName(name)) continue;
    const { accepts } = MODIFIERS[name];
    if (!accepts.includes(type)) {
      throw new SigmaRuleError(
        'invalid-value',
        `"${name}" takes ${accepts.join(' or ')} values, not ${type === 'null' ? 'null' : `${type} ${JSON.stringify(value)}`}`,
        path,
      );
    }
  }
}
