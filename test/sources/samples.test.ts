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
    expect(stderr).toMatch(/Read 3 bodies, 12 records: 0 Activity Log, 12 kube-audit, 0 other/);
    expect(stderr).toMatch(
      /Prefilter: 1 bodies could not match.*; 3 kube-audit records' audit logs were ruled out/,
    );
  });
});
