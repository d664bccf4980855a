import type { ReportFinding, ReportSuppressed } from '../report-model.js';

export type { ReportFinding, ReportModel, ReportSuppressed } from '../report-model.js';
export type Row = ReportFinding['row'];
/** What a table row and its drill-down show: a finding or a suppressed one. */
export type Item = ReportFinding | ReportSuppressed;
