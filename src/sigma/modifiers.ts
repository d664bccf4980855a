import { SigmaRuleError } from './diagnostics.js';

/** Every modifier this engine knows, keyed by its name in `field|modifier`. One registry, checked in one place. */
const MODIFIERS = {
  contains: 'position',
  startswith: 'position',
  endswith: 'position',
  all: 'logic',
  cased: 'case',
  exists: 'exists',
  re: 'regex',
  i: 'regex-flag',
  m: 'regex-flag',
  s: 'regex-flag',
  windash: 'windash',
  base64: 'base64',
  base64offset: 'base64',
  utf16le: 'encoding',
  utf16be: 'encoding',
  utf16: 'encoding',
  wide: 'encoding',
  cidr: 'cidr',
  lt: 'compare',
  lte: 'compare',
  gt: 'compare',
  gte: 'compare',
  neq: 'neq',
  fieldref: 'fieldref',
  minute: 'time',
  hour: 'time',
  day: 'time',
  week: 'time',
  month: 'time',
  year: 'time',
} as const;

type ModifierName = keyof typeof MODIFIERS;

export type Position = 'equals' | 'contains' | 'startswith' | 'endswith';
export type Comparison = 'lt' | 'lte' | 'gt' | 'gte';
export type TimePart = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';
export type Encoding = 'utf16le' | 'utf16be' | 'utf16';

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

export function parseModifiers(
  names: readonly string[],
  yamlPath: readonly (string | number)[],
): ModifierSpec {
  const fail = (message: string): never => {
    throw new SigmaRuleError('invalid-modifier', message, yamlPath);
  };
  let position: Position = 'equals';
  let regex: { i: boolean; m: boolean; s: boolean } | undefined;
  let encoding: Encoding | undefined;
  let base64: 'base64' | 'base64offset' | undefined;
  let comparison: Comparison | undefined;
  let time: TimePart | undefined;
  const seen = new Set<string>();
  const flags = {
    all: false,
    cased: false,
    exists: false,
    windash: false,
    cidr: false,
    neq: false,
    fieldref: false,
  };

  for (const raw of names) {
    const name = raw as ModifierName;
    if (name === ('expand' as string)) {
      throw new SigmaRuleError(
        'unsupported-feature',
        'the "expand" modifier needs placeholder values from a processing pipeline, which this engine does not have',
        yamlPath,
        'expand (placeholders)',
        true,
      );
    }
    if (!Object.hasOwn(MODIFIERS, name)) fail(`unknown modifier "${raw}"`);
    if (seen.has(name)) fail(`modifier "${name}" is given twice`);
    seen.add(name);
    switch (MODIFIERS[name]) {
      case 'position':
        if (position !== 'equals') fail(`"${name}" cannot follow "${position}"`);
        position = name as Position;
        break;
      case 'regex':
        regex = { i: false, m: false, s: false };
        break;
      case 'regex-flag':
        if (regex === undefined) fail(`"${name}" is a sub-modifier of "re" and must follow it`);
        else regex[name as 'i' | 'm' | 's'] = true;
        break;
      case 'encoding':
        if (base64 !== undefined) fail(`"${name}" must come before "${base64}"`);
        encoding = name === 'wide' ? 'utf16le' : (name as Encoding);
        break;
      case 'base64':
        if (base64 !== undefined) fail(`"${name}" cannot follow "${base64}"`);
        base64 = name as 'base64' | 'base64offset';
        break;
      case 'compare':
        comparison = name as Comparison;
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
    }
  }

  const spec: ModifierSpec = { position, regex, encoding, base64, comparison, time, ...flags };
  checkCombination(spec, names, fail);
  return spec;
}

function checkCombination(
  spec: ModifierSpec,
  names: readonly string[],
  fail: (message: string) => never,
): void {
  const used = names.join('|');
  const typeModifiers = [
    spec.exists,
    spec.regex !== undefined,
    spec.cidr,
    spec.comparison !== undefined,
    spec.fieldref,
  ].filter(Boolean).length;
  if (typeModifiers > 1)
    fail(`modifiers "${used}" combine more than one of exists, re, cidr, lt/lte/gt/gte and fieldref`);
  if (spec.exists && names.length > 1) fail(`"exists" takes no other modifier (got "${used}")`);
  if (spec.encoding !== undefined && spec.base64 === undefined)
    fail(`"${spec.encoding}" is only defined together with base64 or base64offset`);
  const stringShaping = spec.position !== 'equals' || spec.windash || spec.base64 !== undefined;
  if (spec.regex !== undefined && (stringShaping || spec.cased))
    fail(`"re" cannot be combined with "${used}"`);
  if (spec.cidr && (stringShaping || spec.cased || spec.neq))
    fail(`"cidr" cannot be combined with "${used}"`);
  if (spec.comparison !== undefined && (stringShaping || spec.cased))
    fail(`"${spec.comparison}" cannot be combined with string modifiers in "${used}"`);
  if (
    spec.time !== undefined &&
    (stringShaping || spec.cased || spec.regex !== undefined || spec.cidr || spec.fieldref)
  ) {
    fail(`"${spec.time}" can only be followed by lt/lte/gt/gte or neq (got "${used}")`);
  }
  if (spec.fieldref && (spec.windash || spec.base64 !== undefined))
    fail(`"fieldref" cannot be combined with "${used}"`);
  if (spec.windash && spec.base64 !== undefined) fail(`"windash" cannot be combined with "${spec.base64}"`);
  if (spec.neq && spec.comparison !== undefined) fail(`"neq" cannot be combined with "${spec.comparison}"`);
}
