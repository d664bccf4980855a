import { el } from './dom.js';
import { number } from './format.js';
import type { Item } from './model.js';

/** Rows a table draws at once: filtering or sorting 50,000 findings redraws one page, not all. */
const PAGE_SIZE = 50;

export interface Column<T> {
  readonly key: string;
  readonly label: string;
  readonly text: (item: T) => string;
  readonly cell?: (item: T) => Node;
  readonly sort?: (item: T) => string | number;
}

export interface PagedTable<T> {
  readonly element: HTMLElement;
  readonly setItems: (items: readonly T[]) => void;
}

/** A sortable table drawn one page at a time, each row opening its drill-down beneath it. */
export function pagedTable<T extends Item>(
  name: string,
  columns: readonly Column<T>[],
  details: (item: T) => HTMLElement,
): PagedTable<T> {
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
