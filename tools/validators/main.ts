import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packageInfo } from '../../src/package-info.js';
import { generateValidators } from './generate.js';

// Run by `npm run build` after tsc: a stale generated validator is rewritten and fails the build,
// since dist was compiled from the stale one; the next build is then correct.
const root = packageInfo().root;
const stale: string[] = [];
for (const [module, text] of await generateValidators(root)) {
  const current = await readFile(join(root, module), 'utf8').catch(() => '');
  if (current === text) continue;
  await writeFile(join(root, module), text);
  stale.push(module);
}
if (stale.length > 0) {
  process.stderr.write(`regenerated ${stale.join(', ')} from the schemas: run the build again\n`);
  process.exitCode = 1;
}
