import { el } from './dom.js';
import type { Row } from './model.js';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'informational'];

export const number = (n: number): string => n.toLocaleString('en-US');

export const show = (value: string | null | undefined): string =>
  value === null || value === undefined || value === '' ? '—' : value;

export const timeText = (iso: string): string => iso.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC');

export const workload = (row: Row): string =>
  row.WorkloadKind === null && row.WorkloadName === null
    ? '—'
    : `${show(row.WorkloadKind)}/${show(row.WorkloadName)}`;

/** Most severe first; a severity no rule should carry sorts last. */
export const severityRank = (s: string): number => {
  const i = SEVERITIES.indexOf(s);
  return i === -1 ? SEVERITIES.length : i;
};

export const badge = (severity: string): HTMLElement =>
  el('span', { class: `sev sev-${SEVERITIES.includes(severity) ? severity : 'other'}` }, severity);

export const outcomeBadge = (outcome: string): HTMLElement =>
  el('span', { class: `outcome outcome-${outcome}` }, outcome);
