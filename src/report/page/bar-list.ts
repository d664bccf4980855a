import { el } from './dom.js';
import { number } from './format.js';

/** Entries a breakdown draws; the rest are counted under it. */
const TOP = 10;

/** A horizontal bar chart of counts whose labels filter the report to their key. */
export function barList(
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
