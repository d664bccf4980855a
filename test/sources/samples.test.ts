import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/shared.js';

describe('bundled kube-audit samples: the four seed 001 scenarios inside benign traffic', () => {
  it('finds exactly the four scenarios, with the right indicators', async () => {
    const { code, stdout, stderr } = await cli(
      'scan',
      '--format',
      'jsonl',
      join(REPO_ROOT, 'samples', 'kube-audit'),
    );
    expect(code).toBe(0);
    const rows = stdout
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            WorkloadName: string;
            RuleId: string;
            Severity: string;
            Indicators: { matched: Record<string, unknown> };
          },
      );
    const byName = Object.fromEntries(
      rows.map((r) => [
        r.WorkloadName,
        {
          indicators: Object.keys(r.Indicators.matched)
            .filter((k) => k.startsWith('indicator_'))
            .sort(),
          severity: r.Severity,
          rule: r.RuleId,
        },
      ]),
    );
    expect(byName).toEqual({
      'argus-test-cronjob': {
        indicators: ['indicator_command', 'indicator_image'],
        severity: 'high',
        rule: 'f4fc1f0e-ebc3-4f51-808e-2b12ba1883d8',
      },
      'node-inventory': {
        indicators: ['indicator_host_path', 'indicator_image', 'indicator_privileged'],
        severity: 'critical',
        rule: 'f4fc1f0e-ebc3-4f51-808e-2b12ba1883d8',
      },
      'image-gc': {
        indicators: ['indicator_host_path', 'indicator_sensitive_mount'],
        severity: 'high',
        rule: 'f4fc1f0e-ebc3-4f51-808e-2b12ba1883d8',
      },
      'log-compactor': {
        indicators: ['indicator_command', 'indicator_image'],
        severity: 'high',
        rule: 'f4fc1f0e-ebc3-4f51-808e-2b12ba1883d8',
      },
    });
    expect(stderr).toMatch(
      /Read 3 bodies, 12 records: 0 Activity Log, 7 kube-audit, 0 other, 5 left unparsed\./,
    );
    expect(stderr).toMatch(
      /Prefilter: 1 bodies could not match.*; 5 records of other bodies could not match and were left unparsed; 0 kube-audit records' audit logs were ruled out/,
    );
  });
});

describe('samples/shapes: one small file per shape users hold logs in', () => {
  it('reads every file, and its operations keep the FindingIds of the Event Hub samples', async () => {
    const dir = join(REPO_ROOT, 'samples', 'shapes');
    const ids = async (path: string): Promise<Map<string, string>> => {
      const { code, stdout } = await cli('scan', '--format', 'jsonl', path);
      expect(code).toBe(0);
      return new Map(
        stdout
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as { FindingId: string; SourceRecordId: string })
          .map((r) => [r.SourceRecordId, r.FindingId]),
      );
    };
    const exported = new Map([
      ...(await ids(join(REPO_ROOT, 'samples', 'activity-log'))),
      ...(await ids(join(REPO_ROOT, 'samples', 'kube-audit'))),
    ]);
    const files = readdirSync(dir).sort();
    expect(files).toEqual([
      'aks-audit-admin.json',
      'apiserver-audit.log',
      'az-activity-log-list.json',
      'azure-activity.csv',
      'azure-diagnostics.json',
      'webhook-eventlist.json',
    ]);
    for (const file of files) {
      const found = await ids(join(dir, file));
      expect([file, found.size > 0]).toEqual([file, true]);
      for (const [recordId, findingId] of found) {
        // Raw apiserver files name no cluster, so their operations are keyed on "unknown".
        if (file === 'apiserver-audit.log' || file === 'webhook-eventlist.json')
          expect(exported.get(recordId)).not.toBe(findingId);
        else expect([file, recordId, findingId]).toEqual([file, recordId, exported.get(recordId)]);
      }
    }
  });
});
