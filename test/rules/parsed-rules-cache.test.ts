import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRuleFiles } from '../../src/rules/load-rules.js';
import { PARSED_RULES_CACHE, readParsedRulesCache } from '../../src/rules/parsed-rules-cache.js';
import { buildRuleSet } from '../../src/rules/rule-set.js';
import { parseRuleFile, ruleFileFromValues } from '../../src/sigma/rule-document.js';
import { parseBundledRules } from '../../tools/rules-cache/parse-bundled-rules.js';
import { REPO_ROOT } from '../helpers/shared.js';

const RULE = readFileSync(join(REPO_ROOT, 'rules/azure/activitylogs/azure_kubernetes_cronjob.yml'), 'utf8');
const tmp = () => mkdtempSync(join(tmpdir(), 'kjd-parsed-rules-'));

describe('the parsed rules cache', () => {
  it('written by the build, holds every bundled rule file with the values parsing gives', async () => {
    const cache = await readParsedRulesCache(REPO_ROOT);
    const files = await loadRuleFiles([join(REPO_ROOT, 'rules')]);
    expect(cache.size).toBe(files.length);
    for (const file of files) {
      const parsed = parseRuleFile(file.text, file.path);
      expect(parsed.ok).toBe(true);
      if (parsed.ok) expect(cache.get(file.text), file.path).toEqual(parsed.documents.map((d) => d.value));
    }
  });

  it('is used for a file of exactly that text, and only for it', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'a.yml'), RULE);
    writeFileSync(join(dir, 'b.yml'), `${RULE}\n`);
    // Values the text does not hold: seeing them proves the cache was read instead of the text.
    const values = [{ ...(yamlValue(RULE) as Record<string, unknown>), title: 'from the cache' }];
    const files = await loadRuleFiles([dir], new Map([[RULE, values]]));
    expect(files.map((f) => f.values)).toEqual([values, undefined]);
    const titles = buildRuleSet(files).files.map((f) => f.rules.map((r) => r.title));
    expect(titles).toEqual([['from the cache'], ['Azure Kubernetes CronJob']]);
  });

  it('gives the same locations as parsing, parsing the text only when asked', () => {
    const parsed = parseRuleFile(RULE, 'a.yml');
    const cached = ruleFileFromValues(RULE, 'a.yml', [yamlValue(RULE)]);
    if (!parsed.ok || !cached.ok) throw new Error('the rule parses');
    for (const path of [['detection', 'selection'], ['title'], ['tags', 1], ['no', 'such']])
      expect(cached.documents[0]?.locate(path)).toEqual(parsed.documents[0]?.locate(path));
    expect(cached.documents[0]?.locate(['title'])).toMatchObject({ line: 1 });
  });

  it('reads as empty when missing or not what the build writes, skipping entries of the wrong shape', async () => {
    const root = tmp();
    expect((await readParsedRulesCache(root)).size).toBe(0);
    mkdirSync(join(root, 'dist'));
    writeFileSync(join(root, PARSED_RULES_CACHE), '[{"text": "a", "values": [1]}, {"text": 2}');
    expect((await readParsedRulesCache(root)).size).toBe(0);
    writeFileSync(
      join(root, PARSED_RULES_CACHE),
      JSON.stringify([{ text: 'a', values: [1] }, { text: 2, values: [] }, { text: 'b', values: {} }, null]),
    );
    expect([...(await readParsedRulesCache(root))]).toEqual([['a', [1]]]);
  });

  it('leaves out a file that does not parse, and one whose values JSON cannot carry', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'good.yml'), RULE);
    writeFileSync(join(dir, 'broken.yml'), 'title: [unclosed\n');
    writeFileSync(join(dir, 'infinite.yml'), `${RULE}\nlimit: .inf\n`);
    const entries = await parseBundledRules(dir);
    expect(entries.map((e) => e.text)).toEqual([RULE]);
  });
});

function yamlValue(text: string): unknown {
  const parsed = parseRuleFile(text, 'x.yml');
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.documents[0]?.value;
}
