import { assertNever } from '../sigma/assert-never.js';
import { literalsDerivable, parseModifiers, type ModifierSpec } from '../sigma/modifiers.js';
import type { ConditionNode, Detection, DetectionItem, SigmaRule } from '../sigma/rule.js';
import { parseSigmaString } from '../sigma/sigma-string.js';
import { identifierSelector } from '../sigma/identifier-pattern.js';

/**
 * What a raw body must contain for a rule to be able to match, in conjunctive normal form: every
 * clause must hold, and a clause holds when the body contains any one of its literals.
 * `undefined` means nothing can be required (the rule may match any body).
 */
export type Requirement = readonly (readonly string[])[] | undefined;

/** Shorter literals reject too little to be worth a scan. */
const MIN_LITERAL = 3;
const MAX_CLAUSES = 6;

/**
 * Characters that stand for themselves in any JSON text: printable ASCII but for the quote, the
 * backslash and `/` (which JSON may escape), and `<`, `>`, `&` (which Go's encoder escapes).
 * Any `\u` escape is handled separately, by falling back to a full parse.
 */
const SAFE_RUN = /[\x20-\x7e]+/g;
const UNSAFE = /["\\/<>&]/;

/**
 * `isRawField` says whether a field's values are text of the record as exported; fields the
 * detector derives (the workload fields of audit events, computed aliases) may hold text the raw
 * body does not (`command` joins arguments with spaces), so they require nothing.
 */
export function ruleRequirement(rule: SigmaRule, isRawField: (field: string) => boolean): Requirement {
  return conditionRequirement(rule.condition, rule, isRawField);
}

function conditionRequirement(
  node: ConditionNode,
  rule: SigmaRule,
  isRawField: (field: string) => boolean,
): Requirement {
  switch (node.kind) {
    case 'ref': {
      const detection = rule.detections.get(node.name);
      return detection === undefined ? undefined : detectionRequirement(detection, isRawField);
    }
    case 'and':
      return and(node.children.map((c) => conditionRequirement(c, rule, isRawField)));
    case 'or':
      return or(node.children.map((c) => conditionRequirement(c, rule, isRawField)));
    case 'not':
      // Nothing can be required of what must be absent.
      return undefined;
    case 'of': {
      const names = [...rule.detections.keys()].filter(identifierSelector(node.pattern));
      const parts = names.map((n) => detectionRequirement(rule.detections.get(n) as Detection, isRawField));
      return node.quantifier === 'all' ? and(parts) : or(parts);
    }
    default:
      return assertNever(node);
  }
}

function detectionRequirement(detection: Detection, isRawField: (field: string) => boolean): Requirement {
  if (detection.kind === 'any')
    return or(detection.alternatives.map((d) => detectionRequirement(d, isRawField)));
  return and(
    detection.items.map((item) =>
      item.field === null || isRawField(item.field) ? itemRequirement(item) : undefined,
    ),
  );
}

/** An item's values are OR (AND with `all`); each value must contain every safe run of its literal text. */
export function itemRequirement(item: DetectionItem): Requirement {
  // A whitelist from the modifier table: a modifier not marked there requires nothing.
  if (!literalsDerivable(item.modifiers)) return undefined;
  let spec: ModifierSpec;
  try {
    spec = parseModifiers(item.modifiers, item.yamlPath);
  } catch {
    return undefined;
  }
  const perValue = item.values.map((value) =>
    typeof value === 'string' ? valueRuns(value, spec) : undefined,
  );
  if (spec.all) return and(perValue.map((runs) => runs?.map((r) => [r])));
  if (perValue.some((runs) => runs === undefined)) return undefined;
  const runsByValue = perValue as string[][];
  // A run every value holds is a clause on its own; the rest pair up by rank, longest first (a
  // value without a run leaves neither, so the item requires nothing).
  const common = (runsByValue[0] ?? []).filter((run) => runsByValue.every((runs) => runs.includes(run)));
  const rest = runsByValue.map((runs) => runs.filter((run) => !common.includes(run)));
  const clauses: string[][] = common.map((run) => [run]);
  if (rest.every((runs) => runs.length > 0)) {
    const depth = Math.max(...rest.map((r) => r.length));
    for (let rank = 0; rank < depth; rank++)
      clauses.push(dedupe(rest.map((runs) => runs[Math.min(rank, runs.length - 1)] as string)));
  }
  return and(clauses.map((c) => [c]));
}

/** The safe literal runs a matching value must contain, folded to lower case, longest first. */
function valueRuns(value: string, spec: ModifierSpec): string[] {
  const runs: string[] = [];
  for (const part of parseSigmaString(value).parts) {
    if (typeof part !== 'string') continue;
    // Folding outside ASCII is the matcher's business: a non-ASCII literal is not used here.
    for (const piece of part.split(spec.windash ? /[-/\u2013\u2014\u2015]/ : /(?!)/)) {
      for (const run of piece.match(SAFE_RUN) ?? []) {
        // Lower-cased even when cased: the scan ignores case, which only lets more bodies through.
        for (const safe of run.split(UNSAFE))
          if (safe.length >= MIN_LITERAL && !couldSpellNumber(safe)) runs.push(safe.toLowerCase());
      }
    }
  }
  return dedupe(runs).sort((a, b) => b.length - a.length);
}

/**
 * Text a number field may show the matcher but not the body: `4.04e2` is matched as `404`, and
 * `1e400` as `Infinity`. A run that could be part of a number's text is not required.
 */
function couldSpellNumber(run: string): boolean {
  return /^[-+.0-9e]+$/i.test(run) || 'infinity'.includes(run.toLowerCase());
}

function and(parts: readonly Requirement[]): Requirement {
  const clauses = parts.filter((p): p is readonly (readonly string[])[] => p !== undefined).flat();
  if (clauses.length === 0) return undefined;
  return simplify(clauses);
}

/** (A1 ∧ A2) ∨ (B1 ∧ B2) is weakened to (A_best ∨ B_best): still required, and stays small. */
function or(parts: readonly Requirement[]): Requirement {
  if (parts.length === 0 || parts.some((p) => p === undefined)) return undefined;
  const best = (parts as (readonly (readonly string[])[])[]).map(
    (clauses) => clauses[0] as readonly string[],
  );
  return simplify([dedupe(best.flat())]);
}

/** Drops clauses implied by others, keeps the strongest first, and bounds their number. */
function simplify(clauses: readonly (readonly string[])[]): Requirement {
  const unique = dedupeClauses(clauses.map((c) => absorb(c)));
  unique.sort((a, b) => strength(b) - strength(a));
  return unique.slice(0, MAX_CLAUSES);
}

/** `cronjobs ∨ jobs` is just `jobs`: a literal containing another adds nothing to the OR. */
function absorb(clause: readonly string[]): string[] {
  return clause
    .filter((lit, i) => !clause.some((other, j) => j !== i && other !== lit && lit.includes(other)))
    .filter((lit, i, all) => all.indexOf(lit) === i);
}

function strength(clause: readonly string[]): number {
  return Math.min(...clause.map((l) => l.length)) / clause.length;
}

function dedupe(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function dedupeClauses(clauses: readonly string[][]): string[][] {
  const seen = new Set<string>();
  return clauses.filter((c) => {
    const key = [...c].sort().join('\u0000');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
