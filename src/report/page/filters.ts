import type { Clusters } from './clusters.js';
import { el } from './dom.js';
import { SEVERITIES, show, workload } from './format.js';
import type { ReportFinding } from './model.js';

/** What a breakdown counts and a chip filters on, by facet name, in the order the views show them. */
export type Facets = ReadonlyMap<string, (f: ReportFinding) => string>;

export function facets(clusters: Clusters): Facets {
  return new Map<string, (f: ReportFinding) => string>([
    ['cluster', (f) => clusters.key(f.row)],
    ['rule', (f) => f.row.RuleTitle],
    ['caller', (f) => show(f.row.Caller)],
    ['namespace', (f) => show(f.row.Namespace)],
  ]);
}

export interface Filters {
  /** The search box, the severity and outcome selects and the chips of the picked facets. */
  readonly element: HTMLElement;
  /** The findings every filter admits. */
  readonly select: () => ReportFinding[];
  readonly pick: (facet: string, value: string) => void;
  readonly pickSeverity: (severity: string) => void;
  /** Redraws one removable chip per picked facet. */
  readonly drawChips: () => void;
}

/** The filter state of the findings; every change calls `onChange`, which redraws what it selects. */
export function filters(
  findings: readonly ReportFinding[],
  byFacet: Facets,
  clusters: Clusters,
  onChange: () => void,
): Filters {
  const picked = new Map<string, string>();
  const search = el('input', {
    type: 'search',
    placeholder: 'Filter: rule, cluster, namespace, workload, caller, operation…',
    'aria-label': 'Filter findings',
    'data-role': 'search',
  }) as HTMLInputElement;
  const severitySelect = el(
    'select',
    { 'aria-label': 'Severity', 'data-role': 'severity' },
    el('option', { value: '' }, 'All severities'),
    ...SEVERITIES.map((s) => el('option', { value: s }, s)),
  ) as HTMLSelectElement;
  const outcomeSelect = el(
    'select',
    { 'aria-label': 'Outcome', 'data-role': 'outcome-filter' },
    el('option', { value: '' }, 'All outcomes'),
    ...['succeeded', 'denied', 'failed', 'started', 'unknown'].map((s) => el('option', { value: s }, s)),
  ) as HTMLSelectElement;
  const chips = el('span', { class: 'chips' });
  const haystacks = new Map<ReportFinding, string>(
    findings.map((f) => [
      f,
      [
        f.row.RuleTitle,
        clusters.of(f.row),
        f.row.Namespace,
        workload(f.row),
        f.row.Caller,
        f.row.CallerIpAddress,
        f.row.Operation,
        f.row.ResultType,
        f.row.FindingId,
        f.row.SourceRecordId,
      ]
        .join('\n')
        .toLowerCase(),
    ]),
  );
  search.addEventListener('input', onChange);
  severitySelect.addEventListener('change', onChange);
  outcomeSelect.addEventListener('change', onChange);

  return {
    element: el('div', { class: 'filters' }, search, severitySelect, outcomeSelect, chips),
    select() {
      const needle = search.value.trim().toLowerCase();
      const severity = severitySelect.value;
      const outcome = outcomeSelect.value;
      return findings.filter(
        (f) =>
          (severity === '' || f.row.Severity === severity) &&
          (outcome === '' || f.outcome === outcome) &&
          [...picked].every(([facet, value]) => byFacet.get(facet)?.(f) === value) &&
          (needle === '' || (haystacks.get(f) ?? '').includes(needle)),
      );
    },
    pick(facet, value) {
      picked.set(facet, value);
      onChange();
    },
    pickSeverity(severity) {
      severitySelect.value = severity;
      onChange();
    },
    drawChips() {
      chips.replaceChildren(
        ...[...picked].map(([facet, value]) => {
          const chip = el(
            'button',
            { type: 'button', class: 'chip', title: 'Remove this filter' },
            `${facet}: ${facet === 'cluster' ? clusters.label(value) : value} ✕`,
          );
          chip.addEventListener('click', () => {
            picked.delete(facet);
            onChange();
          });
          return chip;
        }),
      );
    },
  };
}
