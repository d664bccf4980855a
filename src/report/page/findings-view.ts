import type { Clusters } from './clusters.js';
import { details } from './details.js';
import { el, section } from './dom.js';
import { facets, filters } from './filters.js';
import { number, show } from './format.js';
import type { Item, ReportFinding } from './model.js';
import { pagedTable, type Column } from './table.js';
import { views } from './views.js';

/** The charts, the breakdowns and the findings table, all showing what the filters select. */
export function findingsView(
  findings: readonly ReportFinding[],
  clusters: Clusters,
  columns: readonly Column<Item>[],
): HTMLElement[] {
  const byFacet = facets(clusters);
  const table = pagedTable<ReportFinding>(
    'findings',
    [...columns, { key: 'operation', label: 'Operation', text: (f) => show(f.row.Operation) }],
    details,
  );
  const scope = el('p', { class: 'hint', 'data-role': 'scope' });
  const apply = (): void => {
    const shown = state.select();
    table.setItems(shown);
    charts.render(shown);
    scope.textContent =
      shown.length === findings.length
        ? ''
        : `Charts and table show the ${number(shown.length)} of ${number(findings.length)} findings the filters select.`;
    state.drawChips();
  };
  const state = filters(findings, byFacet, clusters, apply);
  // The tiles stay whole-scan totals; every view below follows the filters.
  const charts = views(
    byFacet,
    clusters,
    (facet, value) => {
      state.pick(facet, value);
      document.getElementById('findings')?.scrollIntoView();
    },
    state.pickSeverity,
  );
  apply();
  return [...charts.elements, section('Findings', 'findings', state.element, scope, table.element)];
}
