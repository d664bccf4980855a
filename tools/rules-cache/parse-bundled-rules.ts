import { isDeepStrictEqual } from 'node:util';
import { loadRuleFiles } from '../../src/rules/load-rules.js';
import type { ParsedRulesEntry } from '../../src/rules/parsed-rules-cache.js';
import { parseRuleFile } from '../../src/sigma/rule-document.js';

/**
 * The bundled rule files parsed, for dist/parsed-rules.json. A file that does not parse is left
 * out (its errors are reported where it loads), and so is one whose values JSON cannot carry
 * unchanged (`.inf`, `.nan`): such a file is parsed at start-up, as any file not in the cache.
 */
export async function parseBundledRules(rulesDir: string): Promise<ParsedRulesEntry[]> {
  const entries: ParsedRulesEntry[] = [];
  for (const file of await loadRuleFiles([rulesDir])) {
    const parsed = parseRuleFile(file.text, file.path);
    if (!parsed.ok) continue;
    const values = parsed.documents.map((d) => d.value);
    if (isDeepStrictEqual(JSON.parse(JSON.stringify(values)), values))
      entries.push({ text: file.text, values });
  }
  return entries;
}
