import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { loadRuleFiles } from '../../src/rules/load-rules.js';
import { buildRuleSet } from '../../src/rules/rule-set.js';
import { parseRuleFile } from '../../src/sigma/rule-document.js';
import { checkRuleSchema } from '../../src/sigma/validate.js';
import { SHARED_MISSING, sharedPath } from '../helpers/shared.js';

describe('SigmaHQ conformance (../shared/sigmahq)', () => {
  it('compiles every azure/activitylogs and kubernetes/audit rule', async (ctx) => {
    const dir = sharedPath('sigmahq');
    if (dir === undefined) return ctx.skip(SHARED_MISSING);
    const { files, ruleSet } = buildRuleSet(await loadRuleFiles([dir]));
    const errors = files.filter((f) => f.status === 'error');
    expect(errors.flatMap((f) => f.diagnostics.map((d) => `${f.file}: ${d.message}`))).toEqual([]);
    expect(files).toHaveLength(52);
    expect(ruleSet.bySource.get('AzureActivity')).toHaveLength(36);
    expect(ruleSet.bySource.get('KubeAudit')).toHaveLength(16);
  });

  it('our rule schema accepts every rule the specification schema accepts', async (ctx) => {
    const dir = sharedPath('sigmahq');
    if (dir === undefined) return ctx.skip(SHARED_MISSING);
    const schema = JSON.parse(readFileSync(`${dir}/sigma-detection-rule-schema.json`, 'utf8')) as Record<
      string,
      unknown
    >;
    // The file's $schema URI carries a trailing '#', which ajv does not recognise as draft 2020-12.
    delete schema['$schema'];
    const validateSpec = new Ajv2020({ strict: false, validateFormats: false }).compile(schema);
    for (const file of await loadRuleFiles([dir])) {
      const parsed = parseRuleFile(file.text, file.path);
      if (!parsed.ok) throw new Error(parsed.message);
      for (const document of parsed.documents) {
        expect(validateSpec(document.value), file.path).toBe(true);
        expect(checkRuleSchema(document.value), file.path).toEqual([]);
      }
    }
  });
});
