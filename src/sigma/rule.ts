/** The typed, immutable form of a Sigma rule after parsing; it never does I/O. */

export type RuleLevel = 'informational' | 'low' | 'medium' | 'high' | 'critical';

export interface SigmaLogSource {
  readonly category?: string;
  readonly product?: string;
  readonly service?: string;
}

export type ScalarValue = string | number | boolean | null;

export interface DetectionItem {
  /** `null` for a keyword item, which searches every string value of the record. */
  readonly field: string | null;
  readonly modifiers: readonly string[];
  readonly values: readonly ScalarValue[];
  readonly yamlPath: readonly (string | number)[];
}

/** A search identifier: maps are AND of their items, lists of maps are OR of the maps. */
export type Detection =
  | { readonly kind: 'all'; readonly items: readonly DetectionItem[] }
  | { readonly kind: 'any'; readonly alternatives: readonly Detection[] };

export type ConditionNode =
  | { readonly kind: 'ref'; readonly name: string }
  | { readonly kind: 'and'; readonly children: readonly ConditionNode[] }
  | { readonly kind: 'or'; readonly children: readonly ConditionNode[] }
  | { readonly kind: 'not'; readonly child: ConditionNode }
  /** `pattern: null` is `them`: every search identifier not starting with `_`. */
  | { readonly kind: 'of'; readonly quantifier: 'one' | 'all'; readonly pattern: string | null };

export interface SigmaRule {
  readonly file: string;
  readonly id: string | undefined;
  readonly title: string;
  readonly level: RuleLevel | undefined;
  readonly status: string | undefined;
  readonly tags: readonly string[];
  readonly logsource: SigmaLogSource;
  readonly falsepositives: readonly string[];
  readonly detections: ReadonlyMap<string, Detection>;
  readonly condition: ConditionNode;
}
