import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FINDING_SCHEMA } from '../../src/findings/schema.js';
import { kqlErrors } from '../helpers/kusto.js';
import { REPO_ROOT } from '../helpers/shared.js';

interface WorkbookItem {
  type: number;
  name: string;
  content: {
    query?: string;
    parameters?: { name: string; query?: string; type: number }[];
    items?: WorkbookItem[];
  };
}

const workbook = JSON.parse(readFileSync(join(REPO_ROOT, 'infra', 'workbook.json'), 'utf8')) as {
  version: string;
  items: WorkbookItem[];
};

/** What the workbook substitutes for its parameters at run time. */
function substitute(query: string): string {
  return query
    .replace(/\{TimeRange\}/g, '> ago(7d)')
    .replace(/\{TimeRange:grain\}/g, '1h')
    .replace(/\{SelectedFinding\}/g, '00000000-0000-8000-8000-000000000000')
    .replace(/\{(Cluster|Rule|Severity|Namespace|Caller)\}/g, "'*'");
}

function queries(items: readonly WorkbookItem[]): { name: string; query: string }[] {
  return items.flatMap((item) => [
    ...(item.content.query === undefined ? [] : [{ name: item.name, query: item.content.query }]),
    ...(item.content.parameters ?? []).flatMap((p) =>
      p.query === undefined ? [] : [{ name: `parameter ${p.name}`, query: p.query }],
    ),
    ...queries(item.content.items ?? []),
  ]);
}

describe('KQL in the workbook, the alert and the DCR parses against the finding schema', () => {
  it('rejects a query that names a column the table does not have (the check can fail)', () => {
    expect(kqlErrors(`${FINDING_SCHEMA.table} | where NoSuchColumn == 1`)).not.toEqual([]);
  });

  const all = queries(workbook.items);
  it('has the parameters and sections users expect', () => {
    const parameters = workbook.items.flatMap((i) => i.content.parameters ?? []).map((p) => p.name);
    expect(parameters).toEqual(['TimeRange', 'Cluster', 'Rule', 'Severity', 'Namespace', 'Caller']);
    expect(all.map((q) => q.name)).toEqual(
      expect.arrayContaining([
        'tiles',
        'over-time',
        'top-clusters',
        'top-callers',
        'top-namespaces',
        'indicators',
        'findings',
        'finding-detail',
        'health',
      ]),
    );
    expect(all.length).toBeGreaterThanOrEqual(15);
  });

  it.each(all.map((q) => [q.name, q.query]))('workbook query %s', (_name, query) => {
    expect(kqlErrors(substitute(query))).toEqual([]);
  });

  it('groups and filters clusters by the lower-case ClusterResourceId, never by the display name', () => {
    // The Activity Log and kube-audit spell one cluster's name in different cases.
    const byName = all.filter((q) => /\bby\b[^|]*\bClusterName\b|\bClusterName\s+in\b/.test(q.query));
    expect(byName.map((q) => q.name)).toEqual([]);
    const cluster = all.find((q) => q.name === 'parameter Cluster')?.query ?? '';
    expect(cluster).toMatch(/by ClusterResourceId/);
    expect(all.find((q) => q.name === 'top-clusters')?.query).toMatch(/by ClusterResourceId/);
    const alert = readFileSync(join(REPO_ROOT, 'infra', 'modules', 'alert.bicep'), 'utf8');
    expect(alert).toMatch(/name: 'ClusterResourceId'/);
    expect(alert).not.toMatch(/name: 'ClusterName'/);
  });

  it('the DCR transformation', () => {
    expect(kqlErrors(FINDING_SCHEMA.transformKql)).toEqual([]);
  });

  it('the alert query, which reads the table the schema names', () => {
    const query = readFileSync(join(REPO_ROOT, 'infra', 'alert.kql'), 'utf8');
    expect(query).toContain(`= ${FINDING_SCHEMA.table}\n`);
    expect(kqlErrors(query)).toEqual([]);
  });
});
