import { FieldRule } from '../prefilter/field-rule.js';
import { Prefilter, type FieldScan, type SourcePrefilter } from '../prefilter/prefilter.js';
import { ruleRequirement } from '../prefilter/requirement.js';
import type { SourcePrefilterSpec } from '../sources/log-source.js';
import type { SourceKind } from '../sources/source-kind.js';
import { sourceById } from '../sources/sources.js';
import type { ActiveRule } from './active-rule.js';

/**
 * Derives, per source, the literals a body must contain for any of its rules to match, and, for
 * sources that embed their events, the field scan that decides each embedded event.
 */
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
    const scan = fieldScan(rules, spec);
    // A rule with no literal is still decided when the field scan decides every rule.
    const open = scan === undefined ? requirements.find((r) => r.requirement === undefined) : undefined;
    sources.set(
      id,
      open === undefined
        ? {
            state: 'on',
            gate: spec.gate,
            embeddedKey: spec.embedded?.key,
            rules: requirements.map((r) => r.requirement ?? []),
            scan,
          }
        : {
            state: 'off',
            reason: `rule ${open.rule.metadata.ruleId} ("${open.rule.metadata.title}") requires no literal (it matches on not, a missing field, a regular expression, a number or a derived field)`,
          },
    );
  }
  return new Prefilter(sources);
}

/** The field scan of a source's embedded events, when every rule of it can be decided by one. */
function fieldScan(rules: readonly ActiveRule[], spec: SourcePrefilterSpec): FieldScan | undefined {
  const fields = spec.embedded?.scanFields;
  if (fields === undefined || fields.length === 0) return undefined;
  // Only the fields some rule reads are searched: each costs a pass over the body.
  const read = new Set(rules.flatMap((rule) => rule.compiled.fields.map((f) => f.name)));
  const used = fields.filter((f) => read.has(f.name));
  const fieldRules = rules.map((rule) => new FieldRule(rule.compiled.rule, used, spec.isRawField));
  if (used.length === 0 || !fieldRules.every((rule) => rule.decidesByScan)) return undefined;
  const pivot = used.findIndex((_, index) => fieldRules.every((rule) => rule.needs(index)));
  const anchors = pivot < 0 ? undefined : fieldRules.map((rule) => rule.anchorsOn(pivot));
  return {
    fields: used,
    rules: fieldRules,
    pivot:
      pivot < 0
        ? undefined
        : {
            field: used[pivot] as (typeof used)[number],
            index: pivot,
            alone: fieldRules.every((rule) => rule.itemsOn(pivot) <= 1),
            anchors: anchors?.every((a) => a !== undefined) ? [...new Set(anchors.flat())] : undefined,
          },
  };
}
