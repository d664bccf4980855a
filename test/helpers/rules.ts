import { compileRule, type CompiledRule } from '../../src/sigma/compile-rule.js';
import { JsonEventDocument } from '../../src/sigma/event-document.js';
import { parseRule } from '../../src/sigma/parse-rule.js';
import { parseRuleFile } from '../../src/sigma/rule-document.js';
import type { SigmaRule } from '../../src/sigma/rule.js';
import { buildRuleSet, type RuleFileReport } from '../../src/rules/rule-set.js';

/** A minimal valid rule around the given detection block (YAML, indented under `detection:`). */
export function ruleYaml(detection: string, logsource = 'product: azure\n    service: activitylogs'): string {
  return `title: test rule\nid: 9a0f1a52-8d47-4b2e-9a6f-0c1d2e3f4a5b\nstatus: test\nlogsource:\n    ${logsource}\ndetection:\n${detection
    .trim()
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n')}\nlevel: high\n`;
}

export function parseYamlRule(yaml: string): SigmaRule {
  const parsed = parseRuleFile(yaml, 'test.yml');
  if (!parsed.ok) throw new Error(parsed.message);
  return parseRule(parsed.documents[0]?.value as Record<string, unknown>, 'test.yml');
}

export function compileYaml(detection: string): CompiledRule {
  return compileRule(parseYamlRule(ruleYaml(detection)));
}

export function matches(detection: string, record: Record<string, unknown>): boolean {
  return compileYaml(detection).test(new JsonEventDocument(record));
}

/** Compiles through the full loader (schema, diagnostics with locations). */
export function lintYaml(yaml: string, file = 'rules/test.yml'): RuleFileReport {
  const { files } = buildRuleSet([{ path: file, text: yaml }]);
  const [report] = files;
  if (report === undefined) throw new Error('no report');
  return report;
}
