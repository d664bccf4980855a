import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { FindingRow } from '../../src/findings/finding-row.js';
import { emptyReport, type BatchReport } from '../../src/pipeline/batch-report.js';
import { InputTally } from '../../src/report/input-tally.js';
import { outcomeOf } from '../../src/report/outcome.js';
import { jsonForScript, renderReport } from '../../src/report/render-report.js';
import { buildReportModel, eventTime, type ReportModel } from '../../src/report/report-model.js';
import { cli } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/shared.js';

const BASE = JSON.parse(
  readFileSync(join(REPO_ROOT, 'test', 'report', 'fixtures', 'finding-row.json'), 'utf8'),
) as FindingRow;
const row = (patch: Partial<FindingRow> & Record<string, unknown>): FindingRow => ({ ...BASE, ...patch });

const model = (rows: FindingRow[], report: BatchReport = emptyReport()) =>
  buildReportModel({
    generatedAt: new Date(0),
    detectorVersion: 't',
    report,
    inputs: [],
    rows,
    suppressed: [],
  });

describe('report model', () => {
  it('reads the outcome the way the sources write ResultType', () => {
    const activity = (resultType: string, resultSignature: string) =>
      row({ ResultType: resultType, RawRecord: JSON.stringify({ resultType, resultSignature }) });
    expect(outcomeOf(row({ ResultType: 'Success (201)' }))).toBe('succeeded');
    expect(outcomeOf(row({ ResultType: 'Denied (403)' }))).toBe('denied');
    expect(outcomeOf(row({ ResultType: 'Failed (404)' }))).toBe('failed');
    expect(outcomeOf(row({ ResultType: 'Server error (500)' }))).toBe('failed');
    expect(outcomeOf(activity('Failure', 'Failed.Forbidden'))).toBe('denied');
    expect(outcomeOf(activity('Failure', 'Failed.Conflict'))).toBe('failed');
    expect(outcomeOf(activity('Start', 'Started.'))).toBe('started');
    expect(outcomeOf(activity('Accept', 'Accepted.Created'))).toBe('succeeded');
    expect(outcomeOf(row({ ResultType: null }))).toBe('unknown');
  });

  it('counts one operation once and shows its final record, as the workbook collapses by FindingId', () => {
    const start = row({ FindingId: 'a', ResultType: 'Start', SourceRecordId: 'start' });
    const success = row({ FindingId: 'a', ResultType: 'Success', SourceRecordId: 'success' });
    const redelivered = row({ FindingId: 'a', ResultType: 'Start', SourceRecordId: 'again' });
    const other = row({ FindingId: 'b', ResultType: 'Start' });
    const m = model([start, success, redelivered, other]);
    expect(m.totals).toMatchObject({ findingRows: 4, findings: 2 });
    expect(m.findings.map((f) => [f.row.SourceRecordId, f.outcome, f.resultTypes])).toEqual([
      ['success', 'succeeded', ['Start', 'Success', 'Start']],
      [other.SourceRecordId, 'started', ['Start']],
    ]);
  });

  it('places a finding at its EventTime when the row has one, else at TimeGenerated', () => {
    expect(eventTime(row({ TimeGenerated: '2025-03-04T10:00:00Z' }))).toBe('2025-03-04T10:00:00Z');
    expect(eventTime(row({ TimeGenerated: '2025-03-04T10:00:00Z', EventTime: '2025-03-04T09:00:00Z' }))).toBe(
      '2025-03-04T09:00:00Z',
    );
  });

  it('splits the running totals by input file, merging a file seen twice', () => {
    const report = emptyReport();
    const tally = new InputTally(() => structuredClone(report));
    const read = (file: string, records: number, source: 'AzureActivity' | 'KubeAudit') => {
      tally.body(file);
      report.bodies++;
      report.records += records;
      report.bySource[source] += records;
    };
    read('a.json', 3, 'AzureActivity');
    read('a.json', 2, 'AzureActivity');
    read('b.json', 4, 'KubeAudit');
    tally.unreadable('missing.json');
    read('a.json', 1, 'KubeAudit');
    expect(tally.finish()).toEqual([
      expect.objectContaining({ input: 'a.json', bodies: 3, records: 6, activityLog: 5, kubeAudit: 1 }),
      expect.objectContaining({ input: 'b.json', bodies: 1, records: 4, kubeAudit: 4, unreadable: 0 }),
      expect.objectContaining({ input: 'missing.json', bodies: 0, records: 0, unreadable: 1 }),
    ]);
  });
});

describe('report HTML', () => {
  const hostile = '</script><script>alert(1)</script><!-- & \u2028\u2029 "><img src=x onerror=alert(2)>';

  it('embeds record values as JSON that cannot close its script element, and round-trips them', () => {
    const json = jsonForScript({ Namespace: hostile });
    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(json)).toEqual({ Namespace: hostile });
  });

  it('puts no record value into the markup outside the JSON data, and pins its script and style by hash', () => {
    const html = renderReport(model([row({ Namespace: hostile, Caller: hostile })]));
    const data = /<script type="application\/json" id="report-data">([^<]*)<\/script>/.exec(html);
    expect(data).not.toBeNull();
    const markup = html.replace(data?.[0] ?? '', '');
    expect(markup).not.toContain('alert(');
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(csp).toContain("default-src 'none'");
    const inline = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '');
    expect(inline).toHaveLength(1);
    const hash = createHash('sha256')
      .update(inline[0] ?? '')
      .digest('base64');
    expect(csp).toContain(`script-src 'sha256-${hash}'`);
    expect(markup).not.toMatch(/\b(src|href)=/);
  });
});

describe('report size', () => {
  it('says what to do when the data is longer than one string can be, instead of a bare RangeError', () => {
    const stringify = vi.spyOn(JSON, 'stringify').mockImplementationOnce(() => {
      throw new RangeError('Invalid string length');
    });
    try {
      expect(() => renderReport(model([BASE]))).toThrow(/1 findings.*report on fewer inputs/);
    } finally {
      stringify.mockRestore();
    }
  });
});

describe('scan --report', () => {
  it('writes the report from the same rows as the JSON Lines, whatever the browser', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kjd-report-'));
    const [jsonl, html] = [join(dir, 'f.jsonl'), join(dir, 'f.html')];
    const { code } = await cli(
      'scan',
      '-q',
      '--format',
      'jsonl',
      '-o',
      jsonl,
      '--report',
      html,
      join(REPO_ROOT, 'samples'),
    );
    expect(code).toBe(0);
    const rows = readFileSync(jsonl, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as FindingRow);
    const data = /<script type="application\/json" id="report-data">([^<]*)<\/script>/.exec(
      readFileSync(html, 'utf8'),
    );
    const shown = JSON.parse(data?.[1] ?? 'null') as ReportModel;
    expect(shown.totals).toMatchObject({
      findingRows: rows.length,
      findings: new Set(rows.map((r) => r.FindingId)).size,
    });
    expect(shown.findings.map((f) => f.row.FindingId).sort()).toEqual(
      [...new Set(rows.map((r) => r.FindingId))].sort(),
    );
    expect(shown.inputs.reduce((n, i) => n + i.records, 0)).toBe(shown.totals.records);
  });
});
