import { join, relative } from 'node:path';
import { packageInfo } from '../../src/package-info.js';
import { packageApp } from './package-app.js';

// npm run package: builds dist/package/kube-job-detector.zip, the artefact the README deploys.
const root = packageInfo().root;
const result = await packageApp(root, join(root, 'dist', 'package'));
const mb = (result.bytes / 1024 / 1024).toFixed(2);
process.stdout.write(
  `${relative(process.cwd(), result.archive)}: ${result.bytes} bytes (${mb} MiB), ${result.entries.length} files, ${result.bundledInputs.length} modules bundled\n`,
);
