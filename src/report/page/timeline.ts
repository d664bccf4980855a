import { el, svg } from './dom.js';
import { number, SEVERITIES, timeText } from './format.js';
import type { ReportFinding } from './model.js';

/** A histogram of findings over event time, stacked by severity, in hand-written SVG. */
export function timeline(items: readonly ReportFinding[]): HTMLElement {
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
