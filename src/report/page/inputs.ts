import { el, section } from './dom.js';
import { number } from './format.js';
import type { ReportModel } from './model.js';

/** Every input with its counts and a total row, then the inputs or records that could not be read. */
export function inputSections(model: ReportModel): HTMLElement[] {
  const { totals } = model;
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
        input.prefilterUnparsedRecords,
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
    'Left unparsed',
    'Bodies skipped by prefilter',
    'Unreadable',
  ];
  return [
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
                totals.prefilterUnparsedRecords,
                totals.prefilterSkippedBodies,
                totals.unreadable,
              ].map((n) => el('td', { class: 'num' }, number(n))),
            ),
          ),
        ),
      ),
      totals.prefilterUnparsedRecords > 0
        ? el(
            'p',
            { class: 'hint' },
            `${number(totals.prefilterUnparsedRecords)} record(s) were counted but left unparsed: another record of their body could match, so it was read record by record, and the prefilter showed no rule could match these.`,
          )
        : null,
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
  ];
}
