import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { SHARED_MISSING, sharedPath } from '../helpers/shared.js';

describe('kube-job-detector rules lint', () => {
  it('passes the bundled rules', async () => {
    const { code, stdout } = await cli('rules', 'lint');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^active\s+.*azure_kubernetes_cronjob\.yml/m);
    expect(stdout).toMatch(/^overrides\s+.*metadata-overrides\.yml/m);
    // What the prefilter reads of audit events, and where it looks first.
    expect(stdout).toContain(
      'Its embedded events are decided by the fields objectRef.resource, verb, user.username, read only where "jobs" stands in objectRef.resource.',
    );
  });

  it('compiles every SigmaHQ rule in ../shared/sigmahq', async (ctx) => {
    const dir = sharedPath('sigmahq');
    if (dir === undefined) return ctx.skip(SHARED_MISSING);
    const { code, stdout } = await cli('rules', 'lint', dir);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /52 files: 52 active, 0 inactive \(other log sources\), 0 overrides, 0 exceptions, 0 with errors\./,
    );
    expect(stdout).toMatch(/Active rules by source: AzureActivity 36, KubeAudit 16\./);
  });

  it('exits 0 on metadata warnings: the rule loads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kjd-lint-'));
    writeFileSync(
      join(dir, 'old.yml'),
      'title: old style\nstatus: production\ndate: 2020/11/21\nlogsource:\n  product: azure\n  service: activitylogs\ndetection:\n  sel:\n    operationName: x\n  condition: sel\n',
    );
    const { code, stdout } = await cli('rules', 'lint', dir);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^active\s+\S*old\.yml/m);
    expect(stdout).toMatch(/old\.yml:3:1: warning: date: must match pattern/);
    expect(stdout).toMatch(/old\.yml:2:1: warning: status: must be equal to one of the allowed values/);
    expect(stdout).toMatch(
      /1 files: 1 active, .* 0 with errors\. 2 warning\(s\); rules with only warnings load\./,
    );
  });

  it('reports inactive rules of other log sources and errors with their location', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kjd-lint-'));
    writeFileSync(
      join(dir, 'win.yml'),
      'title: windows\nlogsource:\n  product: windows\n  category: process_creation\ndetection:\n  sel:\n    Image|endswith: \\cmd.exe\n  condition: sel\n',
    );
    writeFileSync(
      join(dir, 'broken.yml'),
      'title: broken\nlogsource:\n  product: azure\n  service: activitylogs\ndetection:\n  sel:\n    f: 1\n  condition: sel and filter\n',
    );
    writeFileSync(join(dir, 'syntax.yml'), 'title: [unclosed\n');
    writeFileSync(join(dir, 'corr.yml'), 'title: c\ncorrelation:\n  type: event_count\n  rules: [x]\n');
    const { code, stdout } = await cli('rules', 'lint', dir);
    expect(code).toBe(2);
    expect(stdout).toMatch(/^inactive\s+\S*win\.yml\s+process_creation\/windows\/-/m);
    expect(stdout).toMatch(/broken\.yml:8:\d+: detection\.condition: the condition names "filter"/);
    expect(stdout).toMatch(/syntax\.yml:\d+:\d+: \(document\): YAML syntax/);
    expect(stdout).toMatch(/\[unsupported: correlation rules, optional in the Sigma specification\]/);
    expect(stdout).toMatch(
      /4 files: 0 active, 1 inactive \(other log sources\), 0 overrides, 0 exceptions, 3 with errors\./,
    );
  });
});
