import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { cli } from '../helpers/cli.js';
import { activityRecord } from '../helpers/detector.js';
import { REPO_ROOT } from '../helpers/shared.js';

const SAMPLES = join(REPO_ROOT, 'samples');
const tmp = (): string => mkdtempSync(join(tmpdir(), 'kjd-faults-'));
const STACK_FRAME = /\n\s+at /;

/** A message is one line: no stack trace, no second line. */
function expectOneLine(stderr: string): void {
  expect(stderr).not.toMatch(STACK_FRAME);
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
}

describe('usage errors are one line with exit code 2', () => {
  it('-o into a directory that does not exist names the path', async () => {
    const { code, stderr } = await cli('scan', '-o', '/nonexistent/x.jsonl', SAMPLES);
    expect(code).toBe(2);
    expect(stderr).toMatch(/cannot write \/nonexistent\/x\.jsonl: .*ENOENT/);
    expectOneLine(stderr);
  });

  it('stdin named twice', async () => {
    const { code, stderr } = await cli('scan', '-', '-');
    expect(code).toBe(2);
    expect(stderr).toMatch(/"-" \(stdin\) can be given only once/);
  });

  it('send --hub without --namespace or --connection-string', async () => {
    const { code, stderr } = await cli('send', '--hub', 'x');
    expect(code).toBe(2);
    expect(stderr).toMatch(/--namespace/);
    expectOneLine(stderr);
  });

  it('deadletter resend --dir that does not exist', async () => {
    const { code, stderr } = await cli('deadletter', 'resend', '--dir', '/nonexistent/dead');
    expect(code).toBe(2);
    expect(stderr).toMatch(/cannot read --dir \/nonexistent\/dead/);
    expectOneLine(stderr);
  });
});

describe('the same --rules path twice', () => {
  it('is loaded once: the findings are those of one load', async () => {
    const once = await cli('scan', '--format', 'jsonl', '--rules', join(REPO_ROOT, 'rules'), SAMPLES);
    const twice = await cli(
      'scan',
      '--format',
      'jsonl',
      '--rules',
      join(REPO_ROOT, 'rules'),
      '--rules',
      `${join(REPO_ROOT, 'rules')}/`,
      SAMPLES,
    );
    expect(twice.code).toBe(once.code);
    expect(twice.stdout.trim().split('\n')).toHaveLength(once.stdout.trim().split('\n').length);
    expect(twice.stderr).toBe(once.stderr);
  });
});

describe('help', () => {
  it('shows each default once and never an empty list', async () => {
    for (const command of ['scan', 'listen']) {
      const { stdout } = await cli(command, '--help');
      expect(stdout).not.toMatch(/\(default: \[\]\)/);
      for (const line of stdout.split('\n'))
        expect(line.match(/default/g)?.length ?? 0).toBeLessThanOrEqual(1);
    }
  });
});

describe('a closed output pipe (EPIPE)', () => {
  it('is not an error: no stack trace, the command finishes', async () => {
    let written = 0;
    const stdout = new Writable({
      write(_chunk, _encoding, callback) {
        written++;
        const error = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
        callback(written > 1 ? error : null);
      },
    });
    const stderrText: string[] = [];
    const stderr = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        stderrText.push(chunk.toString());
        callback();
      },
    });
    const code = await runCli(['rules', 'lint'], { stdout, stderr });
    expect(code).toBe(0);
    expect(stderrText.join('')).toBe('');
  });
});

describe('hostile text on the terminal', () => {
  const hostile = 'mallory\u001b]0;pwned\u0007\u001b[2J\u009b31m';
  function hostileInput(): string {
    const dir = tmp();
    writeFileSync(
      join(dir, 'body.json'),
      JSON.stringify({
        records: [
          activityRecord('MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/CRONJOBS/WRITE', {
            identity: { claims: { 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn': hostile } },
          }),
        ],
      }),
    );
    writeFileSync(join(dir, 'broken\u001b]2;title\u0007.jsonl'), 'not json\n');
    return dir;
  }

  it('is escaped in the table and in error messages', async () => {
    const { stdout, stderr } = await cli('scan', hostileInput());
    // eslint-disable-next-line no-control-regex -- no control character may reach the terminal
    const control = new RegExp('[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f]');
    for (const text of [stdout, stderr]) expect(text).not.toMatch(control);
    expect(stdout).toContain('\\u001b]0;pwned');
    expect(stderr).toContain('\\u001b]2;title');
  });

  it('stays exact in JSON Lines', async () => {
    const { stdout } = await cli('scan', '--format', 'jsonl', hostileInput());
    const rows = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { Caller: string });
    expect(rows.map((r) => r.Caller)).toContain(hostile);
  });
});

describe('--enrich without Azure credentials', () => {
  it('warns once with the credential chain reason and marks every finding unauthenticated', async () => {
    const saved = { ...process.env };
    // Only the environment credential, and none of its variables: the chain cannot sign in.
    process.env['AZURE_TOKEN_CREDENTIALS'] = 'EnvironmentCredential';
    for (const name of ['AZURE_CLIENT_ID', 'AZURE_TENANT_ID', 'AZURE_CLIENT_SECRET', 'AZURE_USERNAME'])
      delete process.env[name];
    try {
      const { code, stdout, stderr } = await cli('scan', '--enrich', '--format', 'jsonl', SAMPLES);
      expect(code).toBe(0);
      const warnings = stderr.split('\n').filter((l) => l.startsWith('--enrich: cannot sign in'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/EnvironmentCredential/);
      const statuses = stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { Enrichment: { status: string } }).Enrichment.status);
      // Findings whose record names no cluster are 'skipped'; every lookup is 'unauthenticated'.
      expect(statuses).toContain('unauthenticated');
      expect(statuses.filter((s) => s !== 'unauthenticated' && s !== 'skipped')).toEqual([]);
    } finally {
      process.env = saved;
    }
  });
});
