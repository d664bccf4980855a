import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FindingRow } from '../../src/findings/finding-row.js';
import { emptyReport } from '../../src/pipeline/batch-report.js';
import { renderReport } from '../../src/report/render-report.js';
import { buildReportModel } from '../../src/report/report-model.js';
import { aksRecord, auditEvent, cronJobBody, podSpec } from '../helpers/audit.js';
import {
  CHROMIUM_MISSING,
  chromiumPath,
  launchBrowser,
  openFile,
  type OpenedPage,
} from '../helpers/browser.js';
import { cli } from '../helpers/cli.js';
import { activityRecord } from '../helpers/detector.js';
import { REPO_ROOT } from '../helpers/shared.js';

const SAMPLES = join(REPO_ROOT, 'samples');
const ARTIFACTS = join(REPO_ROOT, 'test', 'artifacts');
const tmp = () => mkdtempSync(join(tmpdir(), 'kjd-report-'));
const chromium = chromiumPath();

let browser: Browser | undefined;
beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  if (chromium !== undefined) browser = await launchBrowser(chromium);
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

/** Scans into JSON Lines and a report at once, as a responder would, and opens the report. */
async function scanAndOpen(
  ...inputs: string[]
): Promise<{ opened: OpenedPage; rows: FindingRow[]; stderr: string }> {
  const dir = tmp();
  const jsonl = join(dir, 'findings.jsonl');
  const html = join(dir, 'findings.html');
  const { code, stderr } = await cli('scan', '--format', 'jsonl', '-o', jsonl, '--report', html, ...inputs);
  expect([0, 3]).toContain(code);
  const text = readFileSync(jsonl, 'utf8').trim();
  const rows = text === '' ? [] : text.split('\n').map((line) => JSON.parse(line) as FindingRow);
  return { opened: await openFile(browser as Browser, html), rows, stderr };
}

const metric = (opened: OpenedPage, name: string): Promise<string> =>
  opened.page.$eval(`[data-metric="${name}"] .value`, (e) => e.textContent ?? '');

async function breakdown(opened: OpenedPage, name: string): Promise<Record<string, number>> {
  const entries = await opened.page.$$eval(`[data-breakdown="${name}"] li`, (items) =>
    items.map(
      (li) => [li.getAttribute('data-key') ?? '', li.querySelector('.count')?.textContent ?? ''] as const,
    ),
  );
  return Object.fromEntries(entries.map(([k, v]) => [k, Number(v.replace(/,/g, ''))]));
}

/** Per-key counts of distinct FindingIds, the way the workbook counts (arg_max by FindingId). */
function distinctBy(rows: readonly FindingRow[], key: (row: FindingRow) => string): Record<string, number> {
  const ids = new Map<string, Set<string>>();
  for (const row of rows) {
    const k = key(row);
    ids.set(k, (ids.get(k) ?? new Set()).add(row.FindingId));
  }
  return Object.fromEntries([...ids].map(([k, s]) => [k, s.size]));
}

describe('scan --report in Chromium', () => {
  it('shows the numbers of the JSON Lines of the same scan, with no console error and no request', async (ctx) => {
    if (chromium === undefined) return ctx.skip(CHROMIUM_MISSING);
    const { opened, rows, stderr } = await scanAndOpen(SAMPLES);
    const { page, errors, requests } = opened;
    expect(rows.length).toBeGreaterThan(0);
    const ids = new Set(rows.map((r) => r.FindingId));
    expect(await metric(opened, 'findings')).toBe(String(ids.size));
    expect(await page.$eval('[data-metric="findings"] .hint', (e) => e.textContent)).toBe(
      `${rows.length} finding rows`,
    );
    const high = distinctBy(
      rows.filter((r) => r.Severity === 'high' || r.Severity === 'critical'),
      () => 'x',
    );
    expect(await metric(opened, 'high')).toBe(String(high['x'] ?? 0));
    // A cluster known only by name (a raw apiserver file) counts by its name, as in the breakdown.
    expect(await metric(opened, 'clusters')).toBe(
      String(new Set(rows.map((r) => r.ClusterResourceId ?? r.ClusterName)).size),
    );
    expect(await metric(opened, 'callers')).toBe(String(new Set(rows.map((r) => r.Caller)).size));
    const records = /Read \d+ bodies, (\d+) records/.exec(stderr)?.[1];
    expect(await metric(opened, 'records')).toBe(records);

    expect(await breakdown(opened, 'severity')).toEqual(distinctBy(rows, (r) => r.Severity));
    // One cluster per ClusterResourceId, as the tile counts: kube-audit's AKS-PAY-WEU-01 is the Activity Log's aks-pay-weu-01.
    expect(Object.keys(await breakdown(opened, 'cluster'))).toHaveLength(
      Number(await metric(opened, 'clusters')),
    );
    expect(await breakdown(opened, 'rule')).toEqual(distinctBy(rows, (r) => r.RuleTitle));
    expect(await breakdown(opened, 'cluster')).toEqual(
      distinctBy(rows, (r) => r.ClusterResourceId ?? r.ClusterName ?? '—'),
    );
    expect(await breakdown(opened, 'caller')).toEqual(distinctBy(rows, (r) => r.Caller ?? '—'));
    expect(await breakdown(opened, 'namespace')).toEqual(
      distinctBy(
        rows.filter((r) => r.Namespace !== null),
        (r) => r.Namespace as string,
      ),
    );
    expect(await page.$$eval('[data-table="findings"] tbody tr[data-finding-id]', (trs) => trs.length)).toBe(
      ids.size,
    );
    const timelineBars = await page.$$eval('#timeline rect', (rects) => rects.length);
    expect(timelineBars).toBeGreaterThan(0);

    // A breakdown entry filters the table and every view; removing its chip brings all back.
    const status = () => page.$eval('[data-table="findings"] [data-role="status"]', (e) => e.textContent);
    await page.click('[data-breakdown="namespace"] li[data-key="kube-public"] button');
    expect(await status()).toBe('Rows 1–1 of 1');
    expect(await breakdown(opened, 'cluster')).toEqual(
      distinctBy(
        rows.filter((r) => r.Namespace === 'kube-public'),
        (r) => r.ClusterResourceId ?? r.ClusterName ?? '—',
      ),
    );
    expect(await page.$eval('[data-role="scope"]', (e) => e.textContent)).toBe(
      `Charts and table show the 1 of ${ids.size} findings the filters select.`,
    );
    await page.click('.chips .chip');
    expect(await status()).toBe(`Rows 1–${ids.size} of ${ids.size}`);
    await page.evaluate(() => window.scrollTo(0, 0));

    // Inputs: every sample file is listed and their records add up to the scan's total.
    const inputs = await page.$$eval('#inputs tbody tr', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
    );
    expect(inputs.map((cells) => cells[0]?.replace(/^.*samples\//, '')).sort()).toEqual([
      'activity-log/PT1H.json',
      'activity-log/eventhub-body-aks-cronjob.json',
      'activity-log/eventhub-body-arc-job.json',
      'kube-audit/eventhub-body-admin-1.json',
      'kube-audit/eventhub-body-admin-2.json',
      'kube-audit/eventhub-body-reads.json',
      'shapes/aks-audit-admin.json',
      'shapes/apiserver-audit.log',
      'shapes/az-activity-log-list.json',
      'shapes/azure-activity.csv',
      'shapes/azure-diagnostics.json',
      'shapes/webhook-eventlist.json',
    ]);
    expect(inputs.reduce((sum, cells) => sum + Number(cells[2]), 0)).toBe(Number(records));

    await page.screenshot({ path: join(ARTIFACTS, 'report-samples.png'), fullPage: true });
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
  });

  it('opens a drill-down with the indicators, the outcome, the enrichment and the raw record', async (ctx) => {
    if (chromium === undefined) return ctx.skip(CHROMIUM_MISSING);
    const { opened, rows } = await scanAndOpen(join(SAMPLES, 'kube-audit'));
    const { page, errors, requests } = opened;
    const row = rows.find((r) => r.Namespace !== null) as FindingRow;
    await page.click(`[data-table="findings"] tr[data-finding-id="${row.FindingId}"] button.toggle`);
    const details = await page.$eval('[data-table="findings"] [data-role="details"]', (d) => ({
      outcome: d.querySelector('[data-role="outcome"]')?.textContent ?? '',
      indicators: d.querySelector('[data-role="indicators"]')?.textContent ?? '',
      enrichment: d.querySelector('[data-role="enrichment"]')?.textContent ?? '',
      raw: d.querySelector('[data-role="raw"]')?.textContent ?? '',
    }));
    expect(details.outcome).toMatch(/^succeeded .*Success \(201\)/);
    expect(details.indicators).toContain(String(row.Indicators['requestBody']));
    expect(JSON.parse(details.enrichment)).toEqual(row.Enrichment);
    // RawRecord is the record's own JSON text; the page shows it as written.
    expect(details.raw).toBe(row.RawRecord);
    await page.screenshot({ path: join(ARTIFACTS, 'report-drilldown.png'), fullPage: true });
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
  });

  it('renders attacker-written namespace, caller and command as text and runs none of it', async (ctx) => {
    if (chromium === undefined) return ctx.skip(CHROMIUM_MISSING);
    const script = '<script>window.__xss = "script"</script>';
    const img = '"><img src=x onerror="window.__xss = \'img\'">';
    const dir = tmp();
    const events = [script, img].map((payload, i) =>
      aksRecord(
        auditEvent({
          namespace: `ns${payload}`,
          username: `user${payload}`,
          name: `job-${i}`,
          requestObject: cronJobBody(
            podSpec({ image: 'alpine:latest', command: ['/bin/sh', '-c', `mkfifo /tmp/f ${payload}`] }),
          ),
        }),
      ),
    );
    // auditIDs must differ so the two writes are two findings.
    events.forEach((e, i) => {
      const log = String((e['properties'] as Record<string, unknown>)['log']);
      (e['properties'] as Record<string, unknown>)['log'] = log.replace('1f8e2d3c', `1f8e2d3${i}`);
    });
    writeFileSync(join(dir, 'hostile.json'), JSON.stringify({ records: events }));
    const { opened, rows } = await scanAndOpen(join(dir, 'hostile.json'));
    const { page, errors, requests } = opened;
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      await page.click(`[data-table="findings"] tr[data-finding-id="${row.FindingId}"] button.toggle`);
      const text = await page.$eval('[data-table="findings"]', (t) => t.textContent ?? '');
      expect(text).toContain(row.Namespace);
      expect(text).toContain(row.Caller);
      expect(await page.$eval('[data-role="raw"]', (e) => e.textContent)).toContain('mkfifo /tmp/f');
    }
    expect(
      await page.$$eval('[data-breakdown="namespace"] li', (li) => li.map((l) => l.getAttribute('data-key'))),
    ).toEqual(expect.arrayContaining([`ns${script}`, `ns${img}`]));
    await page.screenshot({ path: join(ARTIFACTS, 'report-xss.png'), fullPage: true });
    expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss)).toBeUndefined();
    expect(await page.$$eval('main img, main script', (nodes) => nodes.length)).toBe(0);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
  });

  it('lists unreadable inputs and suppressed findings with the exception that suppressed them', async (ctx) => {
    if (chromium === undefined) return ctx.skip(CHROMIUM_MISSING);
    const dir = tmp();
    const rules = join(dir, 'rules');
    cpSync(join(REPO_ROOT, 'rules'), rules, { recursive: true });
    writeFileSync(
      join(rules, 'exceptions.yml'),
      'exceptions:\n  - id: kube-public-gc\n    reason: image-gc runs in kube-public\n    namespaces: [kube-public]\n',
    );
    writeFileSync(join(dir, 'broken.jsonl'), '{"records": [\n');
    const { opened, rows } = await scanAndOpen(
      '--rules',
      rules,
      join(SAMPLES, 'kube-audit'),
      join(dir, 'broken.jsonl'),
      join(dir, 'missing.json'),
    );
    const { page, errors, requests } = opened;
    expect(rows.some((r) => r.Namespace === 'kube-public')).toBe(false);
    expect(await metric(opened, 'suppressed')).toBe('1');
    expect(await metric(opened, 'unreadable')).toBe('2');
    const problems = await page.$$eval('#unreadable li', (li) => li.map((l) => l.textContent ?? ''));
    expect(problems).toHaveLength(2);
    expect(problems.find((p) => p.includes('missing.json'))).toMatch(/cannot read/);
    expect(problems.find((p) => p.includes('broken.jsonl'))).toBeDefined();
    const missing = await page.$$eval('#inputs tbody tr', (trs) =>
      trs
        .filter((tr) => tr.getAttribute('data-input')?.endsWith('missing.json'))
        .map((tr) => tr.lastElementChild?.textContent),
    );
    expect(missing).toEqual(['1']);
    await page.click('[data-table="suppressed"] button.toggle');
    const details = await page.$eval(
      '[data-table="suppressed"] [data-role="details"]',
      (d) => d.textContent ?? '',
    );
    expect(details).toContain('Suppressed by exception kube-public-gc: image-gc runs in kube-public');
    expect(
      await page.$eval('[data-table="suppressed"] td[data-column="namespace"]', (td) => td.textContent),
    ).toBe('kube-public');
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
  });

  it('says plainly that nothing was found, and in how many records', async (ctx) => {
    if (chromium === undefined) return ctx.skip(CHROMIUM_MISSING);
    // A pretty-printed document is parsed whole, so the prefilter cannot skip it: its records count.
    const file = join(tmp(), 'quiet.json');
    const reads = [
      'MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/READ',
      'MICROSOFT.RESOURCES/DEPLOYMENTS/WRITE',
    ];
    writeFileSync(file, JSON.stringify({ records: reads.map((op) => activityRecord(op)) }, null, 2));
    const { opened, rows } = await scanAndOpen(file);
    expect(rows).toEqual([]);
    const records = await metric(opened, 'records');
    expect(await opened.page.$eval('#nothing-found h2', (e) => e.textContent)).toBe(
      `Nothing found in ${records} records`,
    );
    expect(records).toBe('2');
    expect(opened.errors).toEqual([]);
    expect(opened.requests).toEqual([]);
  });

  it('pages 50,000 findings: filter and sort redraw one page, not the whole table', async (ctx) => {
    if (chromium === undefined) return ctx.skip(CHROMIUM_MISSING);
    const base = JSON.parse(
      readFileSync(join(REPO_ROOT, 'test', 'report', 'fixtures', 'finding-row.json'), 'utf8'),
    ) as FindingRow;
    const rows: FindingRow[] = Array.from({ length: 50_000 }, (_, i) => ({
      ...base,
      FindingId: `f-${i}`,
      TimeGenerated: new Date(Date.UTC(2025, 2, 4) + i * 60_000).toISOString(),
      Namespace: `ns-${i % 97}`,
      Caller: `user-${i % 1013}@contoso.example`,
      Severity: ['critical', 'high', 'medium', 'low'][i % 4] as string,
    }));
    const file = join(tmp(), 'big.html');
    const report = { ...emptyReport(), records: 50_000 };
    writeFileSync(
      file,
      renderReport(
        buildReportModel({
          generatedAt: new Date(),
          detectorVersion: 'test',
          report,
          inputs: [],
          rows,
          suppressed: [],
        }),
      ),
    );
    const { page, errors, requests } = await openFile(browser as Browser, file);
    const status = () => page.$eval('[data-table="findings"] [data-role="status"]', (e) => e.textContent);
    expect(await status()).toBe('Rows 1–50 of 50,000');
    const started = performance.now();
    await page.type('[data-role="search"]', 'user-7@');
    await page.click('[data-table="findings"] th[data-column="caller"] button');
    const elapsed = performance.now() - started;
    // user-7@ matches every 1013th finding: 50 of them.
    expect(await status()).toBe('Rows 1–50 of 50');
    expect(await page.$$eval('[data-table="findings"] tbody tr', (trs) => trs.length)).toBe(50);
    // A loose sanity bound on a loaded CI machine, not a performance target (those live in the bench).
    expect(elapsed).toBeLessThan(15_000);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
  }, 120_000);
});
