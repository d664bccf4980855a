import { detectionItems, type RuleWarning } from '../sigma/rule-warnings.js';
import type { DetectionItem, SigmaRule } from '../sigma/rule.js';
import { holdsObjects, resolveCatalogueField } from '../sources/catalogue-field.js';
import type { LogSource } from '../sources/log-source.js';

export interface FieldWarning extends RuleWarning {
  readonly code: 'unknown-field' | 'object-field';
}

/**
 * What a rule asks of fields its source never has (a typo never matches, and nothing else says
 * so), and text matching on fields that hold objects (`requestObject|contains: x` never matches).
 */
export function fieldWarnings(rule: SigmaRule, source: LogSource): FieldWarning[] {
  const warnings: FieldWarning[] = [];
  for (const item of [...rule.detections.values()].flatMap(detectionItems)) {
    if (item.field === null) continue;
    const match = resolveCatalogueField(source.fields, item.field);
    if (match.kind === 'unknown') {
      warnings.push(unknownField(source, item.field, match.suggestion, item.yamlPath));
    } else if (holdsObjects(match) && matchesText(item)) {
      warnings.push({
        code: 'object-field',
        message: `"${item.field}" holds an object, and ${describeMatch(item)} compares text, numbers or booleans, so this never matches; name a field inside it ("${item.field}.…") or use "|exists"`,
        yamlPath: item.yamlPath,
      });
    }
    // A fieldref value names the other field.
    if (!item.modifiers.includes('fieldref')) continue;
    item.values.forEach((value, index) => {
      if (typeof value !== 'string') return;
      const other = resolveCatalogueField(source.fields, value);
      if (other.kind === 'unknown')
        warnings.push(unknownField(source, value, other.suggestion, [...item.yamlPath, index]));
    });
  }
  return warnings;
}

function unknownField(
  source: LogSource,
  name: string,
  suggestion: string | undefined,
  yamlPath: readonly (string | number)[],
): FieldWarning {
  return {
    code: 'unknown-field',
    message: `${source.displayName} records have no field "${name}"${suggestion === undefined ? '' : `; did you mean "${suggestion}"?`} (kube-job-detector rules fields lists them), so this never matches`,
    yamlPath,
  };
}

/** Every item but `exists` and null values compares the field's scalar values. */
function matchesText(item: DetectionItem): boolean {
  return !item.modifiers.includes('exists') && item.values.some((v) => v !== null);
}

function describeMatch(item: DetectionItem): string {
  const modifiers = item.modifiers.filter((m) => m !== 'all' && m !== 'cased');
  return modifiers.length === 0 ? 'a plain value' : `"${modifiers.join('|')}"`;
}
