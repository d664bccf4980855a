import { describe, expect, it } from 'vitest';
import { PAGE_SCRIPT } from '../../src/report/page-script.generated.js';
import { emptyReport } from '../../src/pipeline/batch-report.js';
import { renderReport } from '../../src/report/render-report.js';
import { buildReportModel } from '../../src/report/report-model.js';
import { bundleReportPage } from '../../tools/report-page/bundle-page.js';
import { REPO_ROOT } from '../helpers/shared.js';

describe('the report page script', () => {
  it('is the current bundle of src/report/page/ (else run npm run report-page)', async () => {
    expect(PAGE_SCRIPT).toBe(await bundleReportPage(REPO_ROOT));
  }, 60_000);

  // report-model.test.ts checks the CSP hashes the inlined text; this pins that text to the bundle.
  it('is the one script the report inlines, and cannot end its <script> element', () => {
    const html = renderReport(
      buildReportModel({
        generatedAt: new Date(0),
        detectorVersion: 'test',
        report: emptyReport(),
        inputs: [],
        rows: [],
        suppressed: [],
      }),
    );
    const inlined = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
    expect(inlined).toEqual([PAGE_SCRIPT]);
    expect(PAGE_SCRIPT).not.toMatch(/<\/script|<!--/i);
    expect(PAGE_SCRIPT.length).toBeGreaterThan(1000);
  });
});
