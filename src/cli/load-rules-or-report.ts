import { loadRuleSet } from '../rules/load-rules.js';
import type { RuleSetBuild } from '../rules/rule-set.js';
import { formatDiagnostic } from '../sigma/diagnostics.js';
import { errorText } from '../util/error-text.js';

/**
 * Loads rules for a command. A path that cannot be read is a usage error, reported with the path;
 * with `requireClean`, so is any rule file that does not compile, reported with its location.
 */
export async function loadRuleSetOrReport(
  paths: readonly string[],
  out: NodeJS.WritableStream,
  options: { requireClean?: boolean } = {},
): Promise<RuleSetBuild | undefined> {
  let loaded: RuleSetBuild;
  try {
    loaded = await loadRuleSet(paths);
  } catch (error) {
    out.write(`cannot read rules from ${paths.join(', ')}: ${errorText(error)}\n`);
    return undefined;
  }
  const broken = loaded.files.filter((f) => f.status === 'error');
  if (options.requireClean === true && broken.length > 0) {
    for (const file of broken) for (const d of file.diagnostics) out.write(`${formatDiagnostic(d)}\n`);
    out.write(
      `${broken.length} rule file(s) do not compile; fix them or check with "kube-job-detector rules lint".\n`,
    );
    return undefined;
  }
  return loaded;
}
