import { Prefilter, type SourcePrefilter } from '../prefilter/prefilter.js';
import { ruleRequirement } from '../prefilter/requirement.js';
import { isRawActivityField } from '../sources/activity-log/activity-document.js';
import { DERIVED_FIELDS } from '../sources/kube-audit/audit-document.js';
import type { SourceKind } from '../sources/source-kind.js';
import type { ActiveRule } from './rule-set.js';

/** Literals every record of a source contains, checked with the rules' own. */
const SOURCE_GATES: Readonly<Record<SourceKind, string>> = { AzureActivity: 'operationname', KubeAudit: 'kube-audit' };

const RAW_FIELD: Readonly<Record<SourceKind, (field: string) => boolean>> = {
  AzureActivity: isRawActivityField,
  KubeAudit: (field) => !Object.hasOwn(DERIVED_FIELDS, field),
};

/** Derives, per source, the literals a body must contain for any of its rules to match. */
export function buildPrefilter(bySource: ReadonlyMap<SourceKind, readonly ActiveRule[]>): Prefilter {
  const sources = new Map<SourceKind, SourcePrefilter>();
  for (const [source, rules] of bySource) {
    if (rules.length === 0) continue;
    const requirements = rules.map((rule) => ({ rule, requirement: ruleRequirement(rule.compiled.rule, RAW_FIELD[source]) }));
    const open = requirements.find((r) => r.requirement === undefined);
    sources.set(
      source,
      open === undefined
        ? { state: 'on', gate: SOURCE_GATES[source], rules: requirements.map((r) => r.requirement ?? []) }
        : { state: 'off', reason: `rule ${open.rule.metadata.ruleId} ("${open.rule.metadata.title}") requires no literal (it matches on not, a missing field, a regular expression, a number or a derived field)` },
    );
  }
  return new Prefilter(sources);
}
