import { clusterNames } from './clusters.js';
import { commonColumns } from './columns.js';
import { details } from './details.js';
import { el, section } from './dom.js';
import { findingsView } from './findings-view.js';
import { header } from './header.js';
import { inputSections } from './inputs.js';
import type { ReportModel, ReportSuppressed } from './model.js';
import { pagedTable } from './table.js';

/**
 * The report page's script, bundled into one IIFE that `renderReport` inlines (see
 * tools/report-page). It reads the model from the non-executed report-data element, and every value
 * from a record reaches the DOM through text nodes or textContent, never as markup. Charts are
 * hand-written SVG: five bar lists and one histogram need about sixty lines, less than any charting
 * library would add to the page, and nothing here needs eval or the inline style attributes that the
 * page's CSP forbids.
 */
function boot(): void {
  const dataElement = document.getElementById('report-data');
  const app = document.getElementById('app');
  if (dataElement === null || app === null) return;
  const model = JSON.parse(dataElement.textContent ?? '{}') as ReportModel;
  const clusters = clusterNames(model);
  const columns = commonColumns(clusters);

  app.append(...header(model));
  if (model.findings.length > 0) app.append(...findingsView(model.findings, clusters, columns));
  app.append(...inputSections(model));
  const suppressedTable = pagedTable<ReportSuppressed>(
    'suppressed',
    [{ key: 'exception', label: 'Exception', text: (s) => s.exceptionId }, ...columns],
    details,
  );
  suppressedTable.setItems(model.suppressed);
  app.append(
    section(
      'Suppressed findings',
      'suppressed',
      model.suppressed.length === 0
        ? el('p', { class: 'hint' }, 'No finding was suppressed by an exception.')
        : suppressedTable.element,
    ),
  );
}

boot();
