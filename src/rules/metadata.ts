import { createHash } from 'node:crypto';
import type { RuleLevel, SigmaRule } from '../sigma/rule.js';

/** What every finding of a rule carries about the rule. */
export interface RuleMetadata {
  readonly ruleId: string;
  readonly title: string;
  readonly level: RuleLevel;
  readonly tactics: readonly string[];
  readonly techniques: readonly string[];
}

export interface MetadataOverride {
  readonly rule: string;
  readonly reason: string;
  readonly techniques?: readonly string[];
  readonly tactics?: readonly string[];
  readonly level?: RuleLevel;
}

/** Keyed by text from the rule's tags, so a Map: `attack.constructor` must name no tactic. */
const TACTICS: ReadonlyMap<string, string> = new Map([
  ['reconnaissance', 'Reconnaissance'],
  ['resource-development', 'Resource Development'],
  ['initial-access', 'Initial Access'],
  ['execution', 'Execution'],
  ['persistence', 'Persistence'],
  ['privilege-escalation', 'Privilege Escalation'],
  ['defense-evasion', 'Defense Evasion'],
  ['defense-impairment', 'Defense Impairment'],
  ['stealth', 'Stealth'],
  ['credential-access', 'Credential Access'],
  ['discovery', 'Discovery'],
  ['lateral-movement', 'Lateral Movement'],
  ['collection', 'Collection'],
  ['command-and-control', 'Command and Control'],
  ['exfiltration', 'Exfiltration'],
  ['impact', 'Impact'],
]);

export function ruleMetadata(rule: SigmaRule, override: MetadataOverride | undefined): RuleMetadata {
  const tactics: string[] = [];
  const techniques: string[] = [];
  for (const tag of rule.tags) {
    const attack = /^attack\.(.+)/i.exec(tag)?.[1];
    if (attack === undefined) continue;
    const name = attack.toLowerCase();
    const tactic = TACTICS.get(name);
    if (/^t\d{4}(\.\d{3})?$/.test(name)) techniques.push(name.toUpperCase());
    else if (tactic !== undefined) tactics.push(tactic);
  }
  return Object.freeze({
    ruleId: rule.id ?? derivedRuleId(rule),
    title: rule.title,
    level: override?.level ?? rule.level ?? 'medium',
    tactics: override?.tactics ?? tactics,
    techniques: override?.techniques ?? techniques,
  });
}

/** Rules without an id (allowed by the specification) get a stable one from their title. */
function derivedRuleId(rule: SigmaRule): string {
  const hex = createHash('sha256').update(`sigma-title:${rule.title}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
