import { el } from './dom.js';
import { outcomeBadge, show, timeText } from './format.js';
import type { Item } from './model.js';

function json(value: unknown): HTMLElement {
  // A truncated raw record is a string (its first bytes): shown as it is, not as a JSON literal.
  return el(
    'pre',
    { class: 'json' },
    typeof value === 'string' ? value : (JSON.stringify(value, null, 2) ?? 'null'),
  );
}

function keyValues(pairs: [string, string][]): HTMLElement {
  const dl = el('dl', { class: 'kv' });
  for (const [k, v] of pairs) dl.append(el('dt', {}, k), el('dd', {}, v));
  return dl;
}

function indicatorList(indicators: Record<string, unknown>): HTMLElement {
  const pairs: [string, string][] = [];
  const walk = (prefix: string, value: unknown): void => {
    if (
      value !== null &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      Object.keys(value).length > 0
    ) {
      for (const [k, v] of Object.entries(value)) walk(prefix === '' ? k : `${prefix}.${k}`, v);
    } else pairs.push([prefix, typeof value === 'string' ? value : (JSON.stringify(value) ?? 'null')]);
  };
  walk('', indicators);
  return keyValues(pairs);
}

/** The drill-down of one row: outcome, finding, indicators, enrichment and the raw record, all as text. */
export function details(item: Item): HTMLElement {
  const row = item.row;
  const outcome =
    'resultTypes' in item
      ? `${item.outcome} — ${item.resultTypes.length} record(s): ${item.resultTypes.map((r) => show(r)).join(', ')}`
      : `${item.outcome} — ${show(row.ResultType)}`;
  return el(
    'div',
    { class: 'details', 'data-role': 'details' },
    'exceptionId' in item
      ? el('p', { class: 'suppressed-by' }, `Suppressed by exception ${item.exceptionId}: ${item.reason}`)
      : null,
    el(
      'div',
      { class: 'detail-grid' },
      el(
        'div',
        {},
        el('h3', {}, 'Outcome'),
        el('p', { 'data-role': 'outcome' }, outcomeBadge(item.outcome), ' ', outcome),
        el('h3', {}, 'Finding'),
        keyValues([
          ['Rule', `${row.RuleTitle} (${row.RuleId})`],
          ['Event time', timeText(item.time)],
          ['Detected at', timeText(row.DetectedAt)],
          ['Operation', show(row.Operation)],
          ['Cluster', show(row.ClusterResourceId)],
          ['Caller', show(row.Caller)],
          ['Caller object id', show(row.CallerObjectId)],
          ['Caller address', show(row.CallerIpAddress)],
          ['Techniques', row.Techniques.join(', ')],
          ['Tactics', row.Tactics.join(', ')],
          ['Source record', `${row.Source} ${show(row.SourceRecordId)}`],
          ['FindingId', row.FindingId],
        ]),
        el('h3', {}, 'Indicators'),
        el('div', { 'data-role': 'indicators' }, indicatorList(row.Indicators)),
        el('h3', {}, 'Enrichment'),
        el('div', { 'data-role': 'enrichment' }, json(row.Enrichment)),
      ),
      el(
        'div',
        {},
        el('h3', {}, row.RawRecordTruncated ? 'Raw record (truncated to its first bytes)' : 'Raw record'),
        el('div', { 'data-role': 'raw' }, json(row.RawRecord)),
      ),
    ),
  );
}
