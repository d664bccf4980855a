/// <reference lib="dom" />
import type { ReportFinding, ReportModel, ReportSuppressed } from './report-model.js';

/**
 * The report page's script. It runs in the browser, inlined by `renderReport` as
 * `(reportPage.toString())()`, so it must stay self-contained: no imports at run time, no helpers
 * outside its body. Every value from a record reaches the DOM through text nodes or textContent,
 * never as markup. Charts are hand-written SVG: five bar lists and one histogram need about sixty
 * lines, less than any charting library would add to the file, and nothing here needs eval or
 * inline style attributes that the page's CSP forbids.
 */
export function reportPage(): void {
  type Row = ReportFinding['row'];
  type Item = ReportFinding | ReportSuppressed;
  type Child = Node | string | null | undefined | false;

  const SEVERITIES = ['critical', 'high', 'medium', 'low', 'informational'];
  const PAGE_SIZE = 50;
  const TOP = 10;
  const dataElement = document.getElementById('report-data');
  const app = document.getElementById('app');
  if (dataElement === null || app === null) return;
  const model = JSON.parse(dataElement.textContent ?? '{}') as ReportModel;

  function el(tag: string, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElement {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      node.append(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return node;
  }

  function svg(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
    const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  const number = (n: number): string => n.toLocaleString('en-US');
  const show = (value: string | null | undefined): string =>
    value === null || value === undefined || value === '' ? '—' : value;
  const timeText = (iso: string): string => iso.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC');
  const workload = (row: Row): string =>
    row.WorkloadKind === null && row.WorkloadName === null
      ? '—'
      : `${show(row.WorkloadKind)}/${show(row.WorkloadName)}`;
  // As in the workbook, a cluster is its lower-case ClusterResourceId, labelled with its name (ARM's
  // spelling when enrichment found it): the Activity Log's aks-1 and kube-audit's AKS-1 are one cluster.
  const clusterKey = (row: Row): string => row.ClusterResourceId ?? row.ClusterName ?? '—';
  const clusterLabels = new Map<string, string>();
  for (const { row } of [...model.findings, ...model.suppressed]) {
    const enriched = row.Enrichment['status'] === 'ok';
    if (row.ClusterName !== null && (enriched || !clusterLabels.has(clusterKey(row))))
      clusterLabels.set(clusterKey(row), row.ClusterName);
  }
  const clusterLabel = (key: string): string => clusterLabels.get(key) ?? key;
  const cluster = (row: Row): string => clusterLabel(clusterKey(row));
  const severityRank = (s: string): number => {
    const i = SEVERITIES.indexOf(s);
    return i === -1 ? SEVERITIES.length : i;
  };
  const badge = (severity: string): HTMLElement =>
    el('span', { class: `sev sev-${SEVERITIES.includes(severity) ? severity : 'other'}` }, severity);
  const outcomeBadge = (outcome: string): HTMLElement =>
    el('span', { class: `outcome outcome-${outcome}` }, outcome);

  function section(title: string, id: string, ...children: Child[]): HTMLElement {
    return el(
      'section',
      { id, 'aria-labelledby': `${id}-title` },
      el('h2', { id: `${id}-title` }, title),
      ...children,
    );
  }

  function countBy(items: readonly ReportFinding[], key: (f: ReportFinding) => string): [string, number][] {
    const counts = new Map<string, number>();
    for (const item of items) {
      const k = key(item);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  }

  // ---- header and tiles -------------------------------------------------------------------------
  const { totals, findings } = model;
  const distinct = (key: (r: Row) => string | null): number =>
    new Set(findings.map((f) => key(f.row)).filter((v) => v !== null)).size;
  const highSeverity = findings.filter(
    (f) => f.row.Severity === 'high' || f.row.Severity === 'critical',
  ).length;

  app.append(
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
  );

  const tile = (metric: string, label: string, value: number, hint?: string): HTMLElement =>
    el(
      'div',
      { class: 'tile', 'data-metric': metric },
      el('div', { class: 'value' }, number(value)),
      el('div', { class: 'label' }, label),
      hint === undefined ? null : el('div', { class: 'hint' }, hint),
    );
  app.append(
    el(
      'div',
      { class: 'tiles', id: 'tiles' },
      tile('findings', 'Findings', totals.findings, `${number(totals.findingRows)} finding rows`),
      tile('high', 'High severity', highSeverity, 'high or critical'),
      tile('clusters', 'Clusters', distinct(clusterKey)),
      tile(
        'callers',
        'Callers',
        distinct((r) => r.Caller),
      ),
      tile('records', 'Records scanned', totals.records, `${number(totals.bodies)} bodies`),
      tile('suppressed', 'Suppressed', totals.suppressed, 'by exceptions'),
      tile('unreadable', 'Unreadable', totals.unreadable, 'inputs or records'),
    ),
  );

  if (findings.length === 0) {
    app.append(
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
  }

  // ---- views: severity, timeline, breakdowns ----------------------------------------------------
  function barList(
    name: string,
    entries: [string, number][],
    total: number,
    onPick: (key: string) => void,
    labelOf: (key: string) => string = (key) => key,
  ): HTMLElement {
    const max = entries.reduce((m, e) => Math.max(m, e[1]), 1);
    const list = el('ol', { class: 'bars', 'data-breakdown': name });
    for (const [key, count] of entries.slice(0, TOP)) {
      const fill = el('span', { class: `fill ${name === 'severity' ? `sev-${key}` : ''}` });
      fill.style.width = `${(100 * count) / max}%`;
      const text = labelOf(key);
      const label = el(
        'button',
        { type: 'button', class: 'key link', title: `Filter the report to ${text}` },
        text,
      );
      label.addEventListener('click', () => onPick(key));
      list.append(
        el(
          'li',
          { 'data-key': key, 'data-count': String(count) },
          label,
          el('span', { class: 'bar' }, fill),
          el('span', { class: 'count' }, number(count)),
        ),
      );
    }
    const rest = entries.length - TOP;
    return el(
      'div',
      { class: 'card' },
      list,
      rest > 0 ? el('p', { class: 'hint' }, `and ${number(rest)} more of ${number(total)}`) : null,
    );
  }

  function timeline(items: readonly ReportFinding[]): HTMLElement {
    const times = items.map((f) => Date.parse(f.time)).filter((t) => Number.isFinite(t));
    const wrap = el('div', { class: 'card timeline', id: 'timeline' });
    if (times.length === 0) {
      wrap.append(el('p', { class: 'hint' }, 'No findings with an event time.'));
      return wrap;
    }
    // reduce, not Math.min(...times): spreading 50,000 arguments can overflow the stack.
    const min = times.reduce((a, b) => Math.min(a, b));
    const max = times.reduce((a, b) => Math.max(a, b));
    const steps = [60e3, 300e3, 900e3, 3600e3, 6 * 3600e3, 86400e3, 7 * 86400e3, 30 * 86400e3, 365 * 86400e3];
    const step = steps.find((s) => (max - min) / s < 48) ?? steps[steps.length - 1] ?? 86400e3;
    const start = Math.floor(min / step) * step;
    // At least a dozen slots, so a burst in one minute reads as a bar, not as a filled chart.
    const binCount = Math.max(12, Math.floor((max - start) / step) + 1);
    const bins = Array.from({ length: binCount }, () => new Map<string, number>());
    items.forEach((f) => {
      const t = Date.parse(f.time);
      if (!Number.isFinite(t)) return;
      const bin = bins[Math.floor((t - start) / step)];
      if (bin !== undefined) bin.set(f.row.Severity, (bin.get(f.row.Severity) ?? 0) + 1);
    });
    const peak = bins.reduce(
      (m, b) =>
        Math.max(
          m,
          [...b.values()].reduce((a, c) => a + c, 0),
        ),
      1,
    );
    const width = 900;
    const height = 160;
    const pad = 24;
    const barWidth = (width - 2 * pad) / binCount;
    const chart = svg('svg', {
      viewBox: `0 0 ${width} ${height + 30}`,
      role: 'img',
      'aria-label': `Findings over event time, ${number(step / 60e3)}-minute bins`,
    });
    chart.append(svg('line', { x1: pad, y1: height, x2: width - pad, y2: height, class: 'axis' }));
    chart.append(svg('text', { x: 2, y: 12, class: 'tick' }, number(peak)));
    bins.forEach((bin, i) => {
      let y = height;
      const x = pad + i * barWidth;
      for (const severity of [...SEVERITIES].reverse()) {
        const count = bin.get(severity) ?? 0;
        if (count === 0) continue;
        const h = ((height - 16) * count) / peak;
        y -= h;
        const rect = svg('rect', {
          x: x + 1,
          y,
          width: Math.max(1, barWidth - 2),
          height: h,
          class: `sev-${severity}`,
        });
        rect.append(
          svg(
            'title',
            {},
            `${timeText(new Date(start + i * step).toISOString())}: ${number(count)} ${severity}`,
          ),
        );
        chart.append(rect);
      }
    });
    const label = (t: number): string => timeText(new Date(t).toISOString()).replace(/:00 UTC$/, ' UTC');
    chart.append(svg('text', { x: pad, y: height + 20, class: 'tick' }, label(start)));
    chart.append(
      svg(
        'text',
        { x: width - pad, y: height + 20, class: 'tick', 'text-anchor': 'end' },
        label(start + binCount * step),
      ),
    );
    const stepText =
      step >= 86400e3
        ? `${step / 86400e3}-day`
        : step >= 3600e3
          ? `${step / 3600e3}-hour`
          : `${step / 60e3}-minute`;
    const legend = el('div', { class: 'legend' });
    for (const severity of SEVERITIES)
      if (bins.some((b) => b.has(severity)))
        legend.append(el('span', {}, el('span', { class: `swatch sev-${severity}` }), severity));
    wrap.append(
      chart,
      legend,
      el('p', { class: 'hint' }, `${stepText} bins over event time, stacked by severity.`),
    );
    if (times.length < items.length)
      wrap.append(
        el(
          'p',
          { class: 'hint' },
          `${number(items.length - times.length)} finding(s) have no readable event time and are not shown here.`,
        ),
      );
    return wrap;
  }

  // ---- the findings table ----------------------------------------------------------------------
  interface Column<T> {
    readonly key: string;
    readonly label: string;
    readonly text: (item: T) => string;
    readonly cell?: (item: T) => Node;
    readonly sort?: (item: T) => string | number;
  }

  function pagedTable<T extends Item>(
    name: string,
    columns: readonly Column<T>[],
    details: (item: T) => HTMLElement,
  ): { element: HTMLElement; setItems: (items: readonly T[]) => void } {
    let items: readonly T[] = [];
    let sorted: T[] = [];
    // Newest first, as the workbook orders its findings.
    let sortKey = 'time';
    let descending = true;
    let page = 0;
    let open: T | undefined;
    const head = el('tr', {}, el('th', { scope: 'col', class: 'narrow' }, ''));
    const body = el('tbody');
    const status = el('span', { class: 'status', 'data-role': 'status' });
    const prev = el('button', { type: 'button', 'data-role': 'prev' }, '‹ Previous');
    const next = el('button', { type: 'button', 'data-role': 'next' }, 'Next ›');
    const headers = new Map<string, HTMLElement>();
    for (const column of columns) {
      const button = el('button', { type: 'button', class: 'sort' }, column.label);
      const th = el('th', { scope: 'col', 'data-column': column.key, 'aria-sort': 'none' }, button);
      button.addEventListener('click', () => {
        descending = sortKey === column.key ? !descending : false;
        sortKey = column.key;
        resort();
      });
      headers.set(column.key, th);
      head.append(th);
    }
    prev.addEventListener('click', () => {
      page = Math.max(0, page - 1);
      draw();
    });
    next.addEventListener('click', () => {
      page = Math.min(Math.max(0, Math.ceil(sorted.length / PAGE_SIZE) - 1), page + 1);
      draw();
    });

    function resort(): void {
      const column = columns.find((c) => c.key === sortKey);
      sorted = [...items];
      if (column !== undefined) {
        const key = column.sort ?? column.text;
        const keyed = sorted.map((item) => ({ item, k: key(item) }));
        keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0) * (descending ? -1 : 1));
        sorted = keyed.map((e) => e.item);
      }
      for (const [key, th] of headers)
        th.setAttribute('aria-sort', key !== sortKey ? 'none' : descending ? 'descending' : 'ascending');
      page = 0;
      draw();
    }

    function draw(): void {
      const first = page * PAGE_SIZE;
      const rows: Node[] = [];
      for (const item of sorted.slice(first, first + PAGE_SIZE)) {
        const toggle = el(
          'button',
          {
            type: 'button',
            class: 'toggle',
            'aria-expanded': String(open === item),
            'aria-label': 'Show details',
          },
          open === item ? '▾' : '▸',
        );
        toggle.addEventListener('click', () => {
          open = open === item ? undefined : item;
          draw();
        });
        const tr = el(
          'tr',
          { 'data-finding-id': item.row.FindingId, class: open === item ? 'open' : '' },
          el('td', { class: 'narrow' }, toggle),
        );
        for (const column of columns)
          tr.append(
            el(
              'td',
              { 'data-column': column.key },
              column.cell === undefined ? column.text(item) : column.cell(item),
            ),
          );
        rows.push(tr);
        if (open === item)
          rows.push(
            el(
              'tr',
              { class: 'details-row' },
              el('td', { colspan: String(columns.length + 1) }, details(item)),
            ),
          );
      }
      body.replaceChildren(...rows);
      const last = Math.min(sorted.length, first + PAGE_SIZE);
      status.textContent =
        sorted.length === 0
          ? 'No rows match.'
          : `Rows ${number(first + 1)}–${number(last)} of ${number(sorted.length)}`;
      prev.toggleAttribute('disabled', page === 0);
      next.toggleAttribute('disabled', last >= sorted.length);
    }

    const element = el(
      'div',
      { class: 'table-wrap', 'data-table': name },
      el('table', {}, el('thead', {}, head), body),
      el('div', { class: 'pager' }, prev, status, next),
    );
    return {
      element,
      setItems(next: readonly T[]) {
        items = next;
        if (open !== undefined && !next.includes(open)) open = undefined;
        resort();
      },
    };
  }

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

  function details(item: Item): HTMLElement {
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

  const commonColumns: Column<Item>[] = [
    { key: 'time', label: 'Event time (UTC)', text: (f) => timeText(f.time), sort: (f) => f.time },
    {
      key: 'severity',
      label: 'Severity',
      text: (f) => f.row.Severity,
      cell: (f) => badge(f.row.Severity),
      sort: (f) => severityRank(f.row.Severity),
    },
    { key: 'rule', label: 'Rule', text: (f) => f.row.RuleTitle },
    { key: 'cluster', label: 'Cluster', text: (f) => cluster(f.row) },
    { key: 'namespace', label: 'Namespace', text: (f) => show(f.row.Namespace) },
    { key: 'workload', label: 'Workload', text: (f) => workload(f.row) },
    { key: 'caller', label: 'Caller', text: (f) => show(f.row.Caller) },
    { key: 'outcome', label: 'Outcome', text: (f) => f.outcome, cell: (f) => outcomeBadge(f.outcome) },
  ];

  if (findings.length > 0) {
    const facets: Record<string, (f: ReportFinding) => string> = {
      cluster: (f) => clusterKey(f.row),
      rule: (f) => f.row.RuleTitle,
      caller: (f) => show(f.row.Caller),
      namespace: (f) => show(f.row.Namespace),
    };
    const filters = new Map<string, string>();
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
          cluster(f.row),
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
    const table = pagedTable<ReportFinding>(
      'findings',
      [...commonColumns, { key: 'operation', label: 'Operation', text: (f) => show(f.row.Operation) }],
      details,
    );

    const apply = (): void => {
      const needle = search.value.trim().toLowerCase();
      const severity = severitySelect.value;
      const outcome = outcomeSelect.value;
      const shown = findings.filter(
        (f) =>
          (severity === '' || f.row.Severity === severity) &&
          (outcome === '' || f.outcome === outcome) &&
          [...filters].every(([facet, value]) => facets[facet]?.(f) === value) &&
          (needle === '' || (haystacks.get(f) ?? '').includes(needle)),
      );
      table.setItems(shown);
      renderViews(shown);
      scope.textContent =
        shown.length === findings.length
          ? ''
          : `Charts and table show the ${number(shown.length)} of ${number(findings.length)} findings the filters select.`;
      chips.replaceChildren(
        ...[...filters].map(([facet, value]) => {
          const chip = el(
            'button',
            { type: 'button', class: 'chip', title: 'Remove this filter' },
            `${facet}: ${facet === 'cluster' ? clusterLabel(value) : value} ✕`,
          );
          chip.addEventListener('click', () => {
            filters.delete(facet);
            apply();
          });
          return chip;
        }),
      );
    };
    const pick = (facet: string) => (value: string) => {
      filters.set(facet, value);
      apply();
      document.getElementById('findings')?.scrollIntoView();
    };
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
        pick(facet),
        facet === 'cluster' ? clusterLabel : undefined,
      );
      if (without > 0)
        card.append(el('p', { class: 'hint' }, `${number(without)} finding(s) have no namespace.`));
      return card;
    };
    // The filters select what every view shows, as the workbook's parameters do; the tiles stay whole-scan totals.
    const severityView = el('div');
    const timelineView = el('div');
    const facetViews = new Map(Object.keys(facets).map((facet) => [facet, el('div')]));
    const scope = el('p', { class: 'hint', 'data-role': 'scope' });
    const renderViews = (shown: readonly ReportFinding[]): void => {
      const bySeverity = countBy(shown, (f) => f.row.Severity).sort(
        (a, b) => severityRank(a[0]) - severityRank(b[0]),
      );
      severityView.replaceChildren(
        barList('severity', bySeverity, shown.length, (s) => {
          severitySelect.value = s;
          apply();
        }),
      );
      timelineView.replaceChildren(timeline(shown));
      for (const [facet, key] of Object.entries(facets))
        facetViews.get(facet)?.replaceChildren(breakdown(facet, key, shown));
    };
    search.addEventListener('input', apply);
    severitySelect.addEventListener('change', apply);
    outcomeSelect.addEventListener('change', apply);

    app.append(
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
      section(
        'Findings',
        'findings',
        el('div', { class: 'filters' }, search, severitySelect, outcomeSelect, chips),
        scope,
        table.element,
      ),
    );
    apply();
  }

  // ---- inputs, unreadable inputs, suppressed findings -------------------------------------------
  const inputRows = model.inputs.map((input) =>
    el(
      'tr',
      { 'data-input': input.input },
      el('td', { class: 'path' }, input.input),
      ...[
        input.bodies,
        input.records,
        input.activityLog,
        input.kubeAudit,
        input.unknown,
        input.prefilterSkippedBodies,
        input.unreadable,
      ].map((n) => el('td', { class: 'num' }, number(n))),
    ),
  );
  const numberHeads = [
    'Bodies',
    'Records',
    'Activity Log',
    'kube-audit',
    'Unknown',
    'Skipped by prefilter',
    'Unreadable',
  ];
  app.append(
    section(
      'Inputs scanned',
      'inputs',
      el(
        'div',
        { class: 'table-wrap' },
        el(
          'table',
          {},
          el(
            'thead',
            {},
            el(
              'tr',
              {},
              el('th', { scope: 'col' }, 'Input'),
              ...numberHeads.map((h) => el('th', { scope: 'col', class: 'num' }, h)),
            ),
          ),
          el('tbody', {}, ...inputRows),
          el(
            'tfoot',
            {},
            el(
              'tr',
              { 'data-input': '(total)' },
              el('th', { scope: 'row' }, 'Total'),
              ...[
                totals.bodies,
                totals.records,
                totals.activityLog,
                totals.kubeAudit,
                totals.unknown,
                totals.prefilterSkippedBodies,
                totals.unreadable,
              ].map((n) => el('td', { class: 'num' }, number(n))),
            ),
          ),
        ),
      ),
      totals.prefilterSkippedRecords > 0
        ? el(
            'p',
            { class: 'hint' },
            `${number(totals.prefilterSkippedRecords)} record(s) were counted but their embedded event (an AKS audit log) was left unparsed: the prefilter showed no rule could match it.`,
          )
        : null,
    ),
    section(
      'Unreadable inputs',
      'unreadable',
      model.problems.length === 0
        ? el('p', { class: 'hint' }, 'Every input was read.')
        : el(
            'ul',
            { class: 'problems' },
            ...model.problems.map((p) => el('li', {}, el('code', {}, p.where), ': ', p.message)),
          ),
      model.problemsOmitted > 0
        ? el(
            'p',
            { class: 'hint' },
            `${number(model.problemsOmitted)} more problem(s) were counted; their details were not kept.`,
          )
        : null,
    ),
  );
  const suppressedTable = pagedTable<ReportSuppressed>(
    'suppressed',
    [{ key: 'exception', label: 'Exception', text: (s) => s.exceptionId }, ...commonColumns],
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
