import { loadRuleSet } from '../rules/load-rules.js';
import type { RuleSetBuild } from '../rules/rule-set.js';

/** A rules path that cannot be read is a usage error, reported with the path. */
export async function loadRuleSetOrReport(paths: readonly string[], out: NodeJS.WritableStream): Promise<RuleSetBuild | undefined> {
  try {
    return await loadRuleSet(paths);
  } catch (error) {
    out.write(`cannot read rules from ${paths.join(', ')}: ${error instanceof Error ? error.message : String(error)}\n`);
    return undefined;
  }
}
