import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packageInfo } from '../../src/package-info.js';
import { bundleReportPage, PAGE_SCRIPT_MODULE, pageScriptModule } from './bundle-page.js';

// npm run report-page: rebundles src/report/page/ into the module render-report.ts inlines.
const root = packageInfo().root;
const script = await bundleReportPage(root);
await writeFile(join(root, PAGE_SCRIPT_MODULE), pageScriptModule(script));
process.stdout.write(`${PAGE_SCRIPT_MODULE}: ${script.length} characters\n`);
