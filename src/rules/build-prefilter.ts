import { Prefilter, type SourcePrefilter } from '../prefilter/prefilter.js';
import { ruleRequirement } from '../prefilter/requirement.js';
import type { SourceKind } from '../sources/source-kind.js';
import { sourceById } from '../sources/sources.js';
import type { ActiveRule } from './active-rule.js';

/** Derives, per source, the literals a body must contain for any of its rules to match. */
export function buildPrefilter(bySource: ReadonlyMap<SourceKind, readonly ActiveRule[]>): Prefilter {
  const sources = new Map<SourceKind, SourcePrefilter>();
  for (const [id, rules] of bySource) {
    const source = sourceById(id);
    if (rules.length === 0 || source === undefined) continue;
    const spec = source.prefilter;
    const requirements = rules.map((rule) => ({
      rule,
      requirement: ruleRequirement(rule.compiled.rule, spec.isRawField),
    }));
    const open = requirements.find((r) => r.requirement === undefined);
    sources.set(
      id,
      open === undefined
        ? {
            state: 'on',
            gate: spec.gate,
            embeddedKey: spec.embedded?.key,
            rules: requirements.map((r) => r.requirement ?? []),
          }
        : {
            state: 'off',
            reason: `rule ${open.rule.metadata.ruleId} ("${open.rule.metadata.title}") requires no literal (it matches on not, a missing field, a regular expression, a number or a derived field)`,
          },
    );
  }
  return new Prefilter(sources);
}
