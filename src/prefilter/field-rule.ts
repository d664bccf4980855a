import { assertNever } from '../sigma/assert-never.js';
import { compileItem, type DocumentTest } from '../sigma/compile-item.js';
import { JsonEventDocument } from '../sigma/event-document.js';
import { identifierSelector } from '../sigma/identifier-pattern.js';
import type { ConditionNode, Detection, DetectionItem, SigmaRule } from '../sigma/rule.js';
import type { FieldToken, ScanField } from './field-scan.js';
import { itemRequirement } from './requirement.js';

/** Whether a condition can come out true, and whether it can come out false. */
interface Possible {
  readonly t: boolean;
  readonly f: boolean;
}

const EITHER: Possible = { t: true, f: true };

interface Leaf {
  /** Index of the scanned field it reads, or -1. */
  readonly scanned: number;
  /** Its test reads only its own field, a raw one, so it runs exactly on a parsed event. */
  readonly exactOnEvent: boolean;
  readonly test: DocumentTest;
  /** Its outcome when the field is missing. */
  readonly missing: boolean;
  readonly byValue: Map<string, boolean>;
  readonly name: string;
  readonly item: DetectionItem;
}

type Node =
  | { readonly kind: 'leaf'; readonly leaf: Leaf }
  | { readonly kind: 'and' | 'or'; readonly children: readonly Node[] }
  | { readonly kind: 'not'; readonly child: Node };

/** Modifiers whose test reads only the item's own field (`fieldref` reads another). */
const OWN_FIELD_ONLY = (modifiers: readonly string[]): boolean => !modifiers.includes('fieldref');

/**
 * A rule evaluated three-valued on what the field scan knows: an item on a scanned field is
 * decided by the values found, every other item may be either. The rule is ruled out only when
 * no combination of the unknowns can make its condition true.
 */
export class FieldRule {
  private readonly root: Node;

  constructor(rule: SigmaRule, fields: readonly ScanField[], isRawField: (field: string) => boolean) {
    const leaf = (item: DetectionItem): Leaf => {
      const { test } = compileItem(item);
      const own = item.field !== null && OWN_FIELD_ONLY(item.modifiers);
      const scanned = own ? fields.findIndex((f) => f.name === item.field) : -1;
      return {
        scanned,
        exactOnEvent: own && isRawField(item.field),
        test,
        missing: test(new JsonEventDocument({})),
        byValue: new Map(),
        name: item.field ?? '',
        item,
      };
    };
    const detection = (d: Detection): Node =>
      d.kind === 'any'
        ? { kind: 'or', children: d.alternatives.map(detection) }
        : { kind: 'and', children: d.items.map((item) => ({ kind: 'leaf', leaf: leaf(item) })) };
    const condition = (node: ConditionNode): Node => {
      switch (node.kind) {
        case 'ref': {
          const found = rule.detections.get(node.name);
          return found === undefined ? { kind: 'or', children: [] } : detection(found);
        }
        case 'and':
        case 'or':
          return { kind: node.kind, children: node.children.map(condition) };
        case 'not':
          return { kind: 'not', child: condition(node.child) };
        case 'of': {
          const names = [...rule.detections.keys()].filter(identifierSelector(node.pattern));
          const children = names.map((n) => detection(rule.detections.get(n) as Detection));
          return { kind: node.quantifier === 'all' ? 'and' : 'or', children };
        }
        default:
          return assertNever(node);
      }
    };
    this.root = condition(rule.condition);
  }

  /** Whether the scan can ever rule a record out: not when a record with no scanned field may match. */
  get decidesByScan(): boolean {
    return !this.mayMatchTokens([]);
  }

  /**
   * How many items read scanned field `index`. With one, a region's values may be tried one at a
   * time: the rule can match on them together exactly when it can on one of them (or none).
   */
  itemsOn(index: number): number {
    const count = (node: Node): number =>
      node.kind === 'leaf'
        ? node.leaf.scanned === index
          ? 1
          : 0
        : node.kind === 'not'
          ? count(node.child)
          : node.children.reduce((n, child) => n + count(child), 0);
    return count(this.root);
  }

  /** Whether the rule cannot match with the scanned field `index` missing, whatever the others hold. */
  needs(index: number): boolean {
    return !possible(this.root, (leaf) =>
      leaf.scanned === index ? { t: leaf.missing, f: !leaf.missing } : EITHER,
    ).t;
  }

  /**
   * Literals, folded to lower case, at least one of which every value of scanned field `index`
   * that lets the rule match contains: the rule cannot match when that field is missing or holds
   * none of them. Undefined when no such literals can be derived (a regular expression, a value
   * made of wildcards, a rule that matches without the field).
   */
  anchorsOn(index: number): readonly string[] | undefined {
    const anchors: string[] = [];
    const leaves: Leaf[] = [];
    const collect = (node: Node): void => {
      if (node.kind === 'leaf') {
        if (node.leaf.scanned === index) leaves.push(node.leaf);
      } else if (node.kind === 'not') collect(node.child);
      else node.children.forEach(collect);
    };
    collect(this.root);
    for (const leaf of leaves) {
      // The strongest clause of the item's own requirement: a value lacking all of it fails the item.
      const clause = itemRequirement(leaf.item)?.[0];
      if (clause === undefined || !leaf.exactOnEvent) return undefined;
      anchors.push(...clause);
    }
    // With every item on the field false, or the field missing, the rule must be unable to match.
    const withoutAnchor = possible(this.root, (leaf) =>
      leaf.scanned === index ? { t: leaf.missing, f: true } : EITHER,
    );
    return leaves.length === 0 || withoutAnchor.t ? undefined : [...new Set(anchors)];
  }

  /**
   * Whether some event in a region could match, given the scanned fields' values found there:
   * each field holds one of them or is missing (the region may hold an event the scan did not see).
   * With `searched`, only the fields it names were gathered; the others may hold anything. With
   * `placed`, the fields it names are known to hold exactly their tokens' values.
   */
  mayMatchTokens(
    tokens: readonly FieldToken[],
    searched?: number | ((field: number) => boolean),
    /** Fields known to hold exactly their tokens' values: not missing, no other value. */
    placed?: (field: number) => boolean,
  ): boolean {
    const known =
      searched === undefined
        ? undefined
        : typeof searched === 'number'
          ? (field: number) => field === searched
          : searched;
    return possible(this.root, (leaf) => {
      if (leaf.scanned < 0 || (known !== undefined && !known(leaf.scanned))) return EITHER;
      const certain = placed?.(leaf.scanned) === true;
      let t = !certain && leaf.missing;
      let f = !certain && !leaf.missing;
      for (const token of tokens) {
        if (token.field !== leaf.scanned) continue;
        if (token.value === undefined) return EITHER;
        const outcome = valueOutcome(leaf, token.value);
        t ||= outcome;
        f ||= !outcome;
      }
      return { t, f };
    }).t;
  }

  /** Whether the rule could match this parsed event: items on raw fields are decided exactly. */
  mayMatchEvent(event: Record<string, unknown>): boolean {
    const doc = new JsonEventDocument(event);
    return possible(this.root, (leaf) => {
      if (!leaf.exactOnEvent) return EITHER;
      const outcome = leaf.test(doc);
      return { t: outcome, f: !outcome };
    }).t;
  }
}

function valueOutcome(leaf: Leaf, value: string): boolean {
  let outcome = leaf.byValue.get(value);
  if (outcome === undefined) {
    outcome = leaf.test(new JsonEventDocument(Object.fromEntries([[leaf.name, value]])));
    // Bounded: values come from input, and a hostile stream could name millions.
    if (leaf.byValue.size < 4096) leaf.byValue.set(value, outcome);
  }
  return outcome;
}

function possible(node: Node, leaf: (leaf: Leaf) => Possible): Possible {
  switch (node.kind) {
    case 'leaf':
      return leaf(node.leaf);
    case 'not': {
      const child = possible(node.child, leaf);
      return { t: child.f, f: child.t };
    }
    case 'and': {
      let t = true;
      let f = false;
      for (const child of node.children) {
        const p = possible(child, leaf);
        t &&= p.t;
        f ||= p.f;
        // Settled: no later child can make the conjunction true, and it can already be false.
        if (!t && f) break;
      }
      return { t, f };
    }
    case 'or': {
      let t = false;
      let f = true;
      for (const child of node.children) {
        const p = possible(child, leaf);
        t ||= p.t;
        f &&= p.f;
        if (t && !f) break;
      }
      return { t, f };
    }
    default:
      return assertNever(node);
  }
}
