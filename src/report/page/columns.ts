import type { Clusters } from './clusters.js';
import { badge, outcomeBadge, severityRank, show, timeText, workload } from './format.js';
import type { Item } from './model.js';
import type { Column } from './table.js';

/** The columns the findings and the suppressed tables share. */
export function commonColumns(clusters: Clusters): Column<Item>[] {
  return [
    { key: 'time', label: 'Event time (UTC)', text: (f) => timeText(f.time), sort: (f) => f.time },
    {
      key: 'severity',
      label: 'Severity',
      text: (f) => f.row.Severity,
      cell: (f) => badge(f.row.Severity),
      sort: (f) => severityRank(f.row.Severity),
    },
    { key: 'rule', label: 'Rule', text: (f) => f.row.RuleTitle },
    { key: 'cluster', label: 'Cluster', text: (f) => clusters.of(f.row) },
    { key: 'namespace', label: 'Namespace', text: (f) => show(f.row.Namespace) },
    { key: 'workload', label: 'Workload', text: (f) => workload(f.row) },
    { key: 'caller', label: 'Caller', text: (f) => show(f.row.Caller) },
    { key: 'outcome', label: 'Outcome', text: (f) => f.outcome, cell: (f) => outcomeBadge(f.outcome) },
  ];
}
