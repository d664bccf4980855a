import { loadRuleSet } from '../rules/load-rules.js';
import type { RuleSetBuild } from '../rules/rule-set.js';
import { formatDiagnostic, isError } from '../sigma/diagnostics.js';
import { errorText } from '../util/error-text.js';

/**
 * Loads rules for a command. A path that cannot be read is a usage error, reported with the path.
 * With `reportBroken`, each rule file that does not compile is named with its reasons and the
 * command goes on with the others; only when no rule loads at all is that a usage error.
 */
export async function loadRuleSetOrReport(
  paths: readonly string[],
  out: NodeJS.WritableStream,
  options: { reportBroken?: boolean } = {},
): Promise<RuleSetBuild | undefined> {
  let loaded: RuleSetBuild;
  try {
    loaded = await loadRuleSet(paths);
  } catch (error) {
    out.write(`cannot read rules from ${paths.join(', ')}: ${errorText(error)}\n`);
    return undefined;
  }
  if (options.reportBroken !== true) return loaded;
  const broken = loaded.files.filter((f) => f.status === 'error');
  for (const file of broken) {
    out.write(`rule file ${file.file} not loaded:\n`);
    for (const d of file.diagnostics.filter(isError)) out.write(`  ${formatDiagnostic(d)}\n`);
  }
  if (loaded.ruleSet.active.length === 0) {
    out.write(
      `no rule could be loaded from ${paths.join(', ')}; check with "kube-job-detector rules lint".\n`,
    );
    return undefined;
  }
  if (broken.length > 0)
    out.write(
      `${broken.length} rule file(s) not loaded; going on with ${loaded.ruleSet.active.length} rule(s). Check with "kube-job-detector rules lint".\n`,
    );
  return loaded;
}
