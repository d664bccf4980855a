import { clusterNames } from './clusters.js';
import { el } from './dom.js';
import { number, timeText } from './format.js';
import type { ReportModel, Row } from './model.js';

/** The title, the whole-scan tiles and, when no rule matched, a plain statement of it. */
export function header(model: ReportModel): HTMLElement[] {
  const { totals, findings } = model;
  const distinct = (key: (r: Row) => string | null): number =>
    new Set(findings.map((f) => key(f.row)).filter((v) => v !== null)).size;
  const highSeverity = findings.filter(
    (f) => f.row.Severity === 'high' || f.row.Severity === 'critical',
  ).length;
  const tile = (metric: string, label: string, value: number, hint?: string): HTMLElement =>
    el(
      'div',
      { class: 'tile', 'data-metric': metric },
      el('div', { class: 'value' }, number(value)),
      el('div', { class: 'label' }, label),
      hint === undefined ? null : el('div', { class: 'hint' }, hint),
    );
  const parts = [
    el(
      'header',
      {},
      el('h1', {}, 'kube-job-detector scan report'),
      el(
        'p',
        { class: 'meta' },
        `Generated ${timeText(model.generatedAt)} by kube-job-detector ${model.detectorVersion} from ${number(model.inputs.length)} input(s), ${number(totals.records)} record(s). `,
        'Rows of one operation (same FindingId) count once, as in the workbook.',
      ),
    ),
    el(
      'div',
      { class: 'tiles', id: 'tiles' },
      tile('findings', 'Findings', totals.findings, `${number(totals.findingRows)} finding rows`),
      tile('high', 'High severity', highSeverity, 'high or critical'),
      // Counted by the same key as the cluster breakdown, so the tile and the view agree.
      tile('clusters', 'Clusters', distinct(clusterNames(model).key)),
      tile(
        'callers',
        'Callers',
        distinct((r) => r.Caller),
      ),
      tile('records', 'Records scanned', totals.records, `${number(totals.bodies)} bodies`),
      tile('suppressed', 'Suppressed', totals.suppressed, 'by exceptions'),
      tile('unreadable', 'Unreadable', totals.unreadable, 'inputs or records'),
    ),
  ];
  if (findings.length === 0)
    parts.push(
      el(
        'div',
        { class: 'nothing', id: 'nothing-found' },
        el('h2', {}, `Nothing found in ${number(totals.records)} records`),
        el(
          'p',
          {},
          `No rule matched any of the ${number(totals.records)} records read from ${number(model.inputs.length)} input(s).`,
        ),
        totals.prefilterSkippedBodies > 0
          ? el(
              'p',
              { class: 'hint' },
              `${number(totals.prefilterSkippedBodies)} more bodies were skipped unparsed: the prefilter showed no rule could match them.`,
            )
          : null,
      ),
    );
  return parts;
}
