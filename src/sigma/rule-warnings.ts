import { dollarDiffers } from './regex-dialect.js';
import type { Detection, DetectionItem, SigmaRule } from './rule.js';

export interface RuleWarning {
  readonly message: string;
  readonly yamlPath: readonly (string | number)[];
}

/** What a rule does that runs, but not as a PCRE-minded author may expect. */
export function ruleWarnings(rule: SigmaRule): RuleWarning[] {
  return [...rule.detections.values()].flatMap(detectionItems).flatMap(itemWarnings);
}

/** Every item of a search identifier, however its maps and lists nest. */
export function detectionItems(detection: Detection): DetectionItem[] {
  return detection.kind === 'all' ? [...detection.items] : detection.alternatives.flatMap(detectionItems);
}

function itemWarnings(item: DetectionItem): RuleWarning[] {
  if (!item.modifiers.includes('re')) return [];
  const multiline = item.modifiers.includes('m');
  return item.values.flatMap((value, index) =>
    typeof value === 'string' && dollarDiffers(value, multiline)
      ? [
          {
            message: `"$" in /${value}/ matches only at the very end of the text (RE2); PCRE also matches before a final line break. Add "|m" or "\\n?$" if that is meant`,
            yamlPath: [...item.yamlPath, index],
          },
        ]
      : [],
  );
}
