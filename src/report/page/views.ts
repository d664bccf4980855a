import { barList } from './bar-list.js';
import type { Clusters } from './clusters.js';
import { el, section } from './dom.js';
import type { Facets } from './filters.js';
import { number, severityRank } from './format.js';
import type { ReportFinding } from './model.js';
import { timeline } from './timeline.js';

export interface Views {
  /** The severity and time charts, then one breakdown per facet. */
  readonly elements: HTMLElement[];
  /** Redraws every view for the findings the filters select, as the workbook's parameters do. */
  readonly render: (shown: readonly ReportFinding[]) => void;
}

function countBy(items: readonly ReportFinding[], key: (f: ReportFinding) => string): [string, number][] {
  const counts = new Map<string, number>();
  for (const item of items) {
    const k = key(item);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

export function views(
  byFacet: Facets,
  clusters: Clusters,
  pick: (facet: string, value: string) => void,
  pickSeverity: (severity: string) => void,
): Views {
  // As the workbook's top-namespaces, findings without a namespace (Activity Log writes) are left out, and counted.
  const breakdown = (
    facet: string,
    key: (f: ReportFinding) => string,
    shown: readonly ReportFinding[],
  ): HTMLElement => {
    const entries = countBy(shown, key).filter(([k]) => facet !== 'namespace' || k !== '—');
    const without = shown.length - entries.reduce((sum, e) => sum + e[1], 0);
    const card = barList(
      facet,
      entries,
      shown.length,
      (value) => pick(facet, value),
      facet === 'cluster' ? clusters.label : undefined,
    );
    if (without > 0)
      card.append(el('p', { class: 'hint' }, `${number(without)} finding(s) have no namespace.`));
    return card;
  };
  const severityView = el('div');
  const timelineView = el('div');
  const facetViews = new Map([...byFacet.keys()].map((facet) => [facet, el('div')]));
  return {
    elements: [
      el(
        'div',
        { class: 'row' },
        section('By severity', 'severity', severityView),
        section('Over event time', 'over-time', timelineView),
      ),
      el(
        'div',
        { class: 'grid4' },
        ...[...facetViews].map(([facet, view]) => section(`By ${facet}`, `by-${facet}`, view)),
      ),
    ],
    render(shown) {
      const bySeverity = countBy(shown, (f) => f.row.Severity).sort(
        (a, b) => severityRank(a[0]) - severityRank(b[0]),
      );
      severityView.replaceChildren(barList('severity', bySeverity, shown.length, pickSeverity));
      timelineView.replaceChildren(timeline(shown));
      for (const [facet, key] of byFacet)
        facetViews.get(facet)?.replaceChildren(breakdown(facet, key, shown));
    },
  };
}
