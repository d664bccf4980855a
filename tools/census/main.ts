import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packageInfo } from '../../src/package-info.js';
import { CENSUS_MODULE, censusModuleText } from './compile.js';

// Run by `npm run build` after tsc, as the validators are: a stale module is rewritten and fails
// the build, since dist was compiled from the stale one; the next build is then correct.
const root = packageInfo().root;
const text = await censusModuleText(root);
const current = await readFile(join(root, CENSUS_MODULE), 'utf8').catch(() => '');
if (current !== text) {
  await writeFile(join(root, CENSUS_MODULE), text);
  process.stderr.write(`regenerated ${CENSUS_MODULE} from census.wat: run the build again\n`);
  process.exitCode = 1;
}
