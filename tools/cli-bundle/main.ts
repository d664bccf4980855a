import { packageInfo } from '../../src/package-info.js';
import { bundleCli } from './bundle-cli.js';

// Part of npm run build: writes dist/cli/main.js, the `kube-job-detector` bin.
await bundleCli(packageInfo().root);
