import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packageInfo } from '../../src/package-info.js';
import { KERNELS, kernelModuleText } from './compile.js';

// Run by `npm run build` after tsc, as the validators are: a stale module is rewritten and fails
// the build, since dist was compiled from the stale one; the next build is then correct.
const root = packageInfo().root;
for (const kernel of KERNELS) {
  const text = await kernelModuleText(root, kernel);
  const current = await readFile(join(root, kernel.module), 'utf8').catch(() => '');
  if (current !== text) {
    await writeFile(join(root, kernel.module), text);
    process.stderr.write(`regenerated ${kernel.module} from ${kernel.source}: run the build again\n`);
    process.exitCode = 1;
  }
}
