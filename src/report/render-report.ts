import { createHash } from 'node:crypto';
import { reportPage } from './page-script.js';
import { REPORT_STYLE } from './page-style.js';
import type { ReportModel } from './report-model.js';

/**
 * The report as one self-contained HTML document. Record values travel only as JSON inside a
 * non-executed `<script type="application/json">`, and the page renders them with textContent; the
 * Content-Security-Policy admits just this page's own script and style (by hash) and no network at
 * all, so even an escaping mistake could neither run injected script nor load anything.
 */
export function renderReport(model: ReportModel): string {
  const script = `(${reportPage.toString()})();`;
  const csp = [
    "default-src 'none'",
    `script-src '${sha256(script)}'`,
    `style-src '${sha256(REPORT_STYLE)}'`,
    "img-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>kube-job-detector scan report</title>
<style>${REPORT_STYLE}</style>
</head>
<body>
<noscript>This report renders its findings with JavaScript; the data is in the report-data element of this file.</noscript>
<main id="app"></main>
<script type="application/json" id="report-data">${reportData(model)}</script>
<script>${script}</script>
</body>
</html>
`;
}

/** JSON that cannot end its `<script>` element or open a comment there: `<`, `>`, `&`, U+2028/9 escaped. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Past the engine's longest string (about 512 MiB in V8) neither Node nor the browser could hold the data. */
function reportData(model: ReportModel): string {
  try {
    return jsonForScript(model);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new Error(
      `the report's data (${model.findings.length} findings, ${model.suppressed.length} suppressed) is larger than a browser can load in one page; the JSON Lines output holds every finding: report on fewer inputs at a time`,
      { cause: error },
    );
  }
}

function sha256(text: string): string {
  return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}
