import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateValidators, VALIDATORS } from '../../tools/validators/generate.js';
import { REPO_ROOT } from '../helpers/shared.js';

describe('generated schema validators', () => {
  it('are what the schemas generate today (npm run build regenerates them)', async () => {
    const modules = await generateValidators(REPO_ROOT);
    expect([...modules.keys()]).toEqual(VALIDATORS.map((v) => v.module));
    for (const [module, text] of modules)
      expect(readFileSync(join(REPO_ROOT, module), 'utf8'), module).toBe(text);
  });

  it('are plain ES modules: no require() and no ajv compiler, only its runtime helpers', () => {
    for (const { module } of VALIDATORS) {
      const text = readFileSync(join(REPO_ROOT, module), 'utf8');
      expect(text).not.toMatch(/\brequire\(/);
      const imports = [...text.matchAll(/^import (?!type ).* from '([^']+)';$/gm)].map((m) => m[1]);
      for (const specifier of imports) expect(specifier).toMatch(/^ajv\/dist\/runtime\//);
    }
  });
});
