import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../bench/generate.js';
import type { InputBody } from '../../src/pipeline/detector.js';
import { loadRuleFiles } from '../../src/rules/load-rules.js';
import { buildRuleSet, type RuleSet } from '../../src/rules/rule-set.js';
import { FIXED_CLOCK, processBatch } from '../helpers/detector.js';
import { REPO_ROOT, sharedPath } from '../helpers/shared.js';

const RUNS = Number(process.env['PREFILTER_RUNS'] ?? 300);

/** JSON text in which any character may be written as a \u escape, and `/` as `\/`, as encoders may. */
function serialize(value: unknown, escapeRate: number, random: () => number): string {
  if (typeof value === 'string') {
    let out = '"';
    for (const ch of value) {
      const code = ch.codePointAt(0) ?? 0;
      if (ch === '"' || ch === '\\') out += `\\${ch}`;
      else if (code < 0x20) out += `\\u${code.toString(16).padStart(4, '0')}`;
      else if (random() < escapeRate && code <= 0xffff) out += `\\u${code.toString(16).padStart(4, '0')}`;
      else if (ch === '/' && random() < escapeRate) out += '\\/';
      else out += ch;
    }
    return `${out}"`;
  }
  if (Array.isArray(value)) return `[${value.map((v) => serialize(v, escapeRate, random)).join(',')}]`;
  if (typeof value === 'object' && value !== null)
    return `{${Object.entries(value)
      .map(([k, v]) => `${serialize(k, escapeRate, random)}:${serialize(v, escapeRate, random)}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

/** Case changes, and the characters that fold into ASCII letters. */
function mangleCase(text: string, random: () => number): string {
  return [...text]
    .map((ch) => {
      const r = random();
      if (r < 0.3) return ch.toUpperCase();
      if (r < 0.6) return ch.toLowerCase();
      if (r < 0.62 && ch.toLowerCase() === 'k') return '\u212a';
      if (r < 0.64 && ch.toLowerCase() === 'i') return '\u0130';
      return ch;
    })
    .join('');
}

const OPERATIONS = [
  'MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/CRONJOBS/WRITE',
  'Microsoft.Kubernetes/connectedClusters/batch/jobs/write',
  'MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/CRONJOBS/READ',
  'MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/WRITE',
  'MICROSOFT.KUBERNETES/CONNECTEDCLUSTERS/BATCHES/JOBS/WRITE',
  'MICROSOFT.KEYVAULT/VAULTS/SECRETS/WRITE',
  'Microsoft.Authorization/roleAssignments/write',
  'MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/SECURITYRULES/WRITE',
];
const IMAGES = [
  'alpine:3.20',
  'contoso/app:1',
  'docker.io/library/busybox',
  'registry/ubuntu-base:22.04',
  'nginx',
];
const VERBS = ['create', 'update', 'patch', 'get', 'list', 'delete'];
const RESOURCES = ['cronjobs', 'jobs', 'pods', 'deployments'];
const USERS = [
  'mallory@contoso.example',
  'system:serviceaccount:kube-system:cronjob-controller',
  'system:serviceaccount:argocd:argocd-application-controller',
];

const activityRecord = fc
  .record({ op: fc.constantFrom(...OPERATIONS), corr: fc.uuid() })
  .map(({ op, corr }) => ({ kind: 'activity' as const, op, corr }));
const auditRecord = fc
  .record({
    verb: fc.constantFrom(...VERBS),
    resource: fc.constantFrom(...RESOURCES),
    image: fc.constantFrom(...IMAGES),
    privileged: fc.boolean(),
    user: fc.constantFrom(...USERS),
    parsed: fc.boolean(),
    id: fc.uuid(),
    command: fc.constantFrom(['sleep', '1'], ['sh', '-c', 'chmod +x /x'], []),
  })
  .map((r) => ({ kind: 'audit' as const, ...r }));

const batch = fc.record({
  records: fc.array(fc.oneof(activityRecord, auditRecord), { minLength: 1, maxLength: 6 }),
  seed: fc.integer(),
  escapeRate: fc.constantFrom(0, 0, 0.01, 0.2),
  asBuffer: fc.boolean(),
  caseMangling: fc.boolean(),
});

function batchValue(input: {
  records: (
    | { kind: 'activity'; op: string; corr: string }
    | {
        kind: 'audit';
        verb: string;
        resource: string;
        image: string;
        privileged: boolean;
        user: string;
        parsed: boolean;
        id: string;
        command: readonly string[];
      }
  )[];
  seed: number;
  escapeRate: number;
  asBuffer: boolean;
  caseMangling: boolean;
}): InputBody {
  const random = mulberry32(input.seed);
  const text = (s: string) => (input.caseMangling ? mangleCase(s, random) : s);
  const records = input.records.map((r) => {
    if (r.kind === 'activity') {
      return {
        time: '2025-03-04T09:15:27Z',
        resourceId: text(
          '/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/AKS',
        ),
        operationName: text(r.op),
        category: 'Administrative',
        resultType: 'Success',
        correlationId: r.corr,
      };
    }
    const event = {
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      level: 'RequestResponse',
      auditID: r.id,
      stage: 'ResponseComplete',
      verb: text(r.verb),
      user: { username: r.user },
      objectRef: { resource: text(r.resource), namespace: 'default', name: 'x', apiGroup: 'batch' },
      responseStatus: { code: 201 },
      requestObject: {
        kind: 'CronJob',
        spec: {
          jobTemplate: {
            spec: {
              template: {
                spec: {
                  containers: [
                    {
                      name: 'c',
                      image: text(r.image),
                      command: [...r.command],
                      securityContext: { privileged: r.privileged },
                    },
                  ],
                },
              },
            },
          },
          template: { spec: { containers: [{ name: 'c', image: text(r.image) }] } },
        },
      },
    };
    return {
      operationName: 'Microsoft.ContainerService/managedClusters/diagnosticLogs/Read',
      category: text('kube-audit'),
      resourceId:
        '/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/AKS',
      properties: { log: r.parsed ? event : `${serialize(event, input.escapeRate, random)}\n` },
    };
  });
  const json = serialize({ records }, input.escapeRate, random);
  return { body: input.asBuffer ? Buffer.from(json) : json, origin: { event: 0 } };
}

async function ruleSets(): Promise<RuleSet[]> {
  const bundled = await loadRuleFiles([`${REPO_ROOT}/rules`]);
  const sets = [buildRuleSet(bundled).ruleSet];
  const activity = sharedPath('sigmahq', 'rules', 'cloud');
  if (activity !== undefined)
    sets.push(buildRuleSet([...bundled, ...(await loadRuleFiles([activity]))]).ruleSet);
  return sets;
}

describe('the prefilter never changes findings', () => {
  it('finds the same rows with the prefilter on and off, on generated bodies', async () => {
    for (const ruleSet of await ruleSets()) {
      expect(ruleSet.prefilter.enabled).toBe(true);
      const on = { ruleSet, clock: FIXED_CLOCK, detectorVersion: 'test' };
      const off = { ...on, prefilter: false };
      let skipped = 0;
      fc.assert(
        fc.property(fc.array(batch, { minLength: 1, maxLength: 5 }), (batches) => {
          const inputs = batches.map(batchValue);
          const withPrefilter = processBatch(inputs, on);
          skipped +=
            withPrefilter.report.prefilterSkippedBodies + withPrefilter.report.prefilterSkippedRecords;
          expect(withPrefilter.findings).toEqual(processBatch(inputs, off).findings);
        }),
        { numRuns: RUNS },
      );
      // The property means little unless the prefilter actually skipped things.
      expect(skipped).toBeGreaterThan(0);
    }
  }, 120_000);

  it('falls back to a full parse for escapes and case-folding hazards', async () => {
    const [ruleSet] = await ruleSets();
    const prefilter = (ruleSet as RuleSet).prefilter;
    const plain =
      '{"records":[{"operationName":"MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE","category":"Administrative"}]}';
    expect(prefilter.mayMatchBody(plain)).toBe(false);
    expect(prefilter.mayMatchBody(Buffer.from(plain))).toBe(false);
    expect(prefilter.mayMatchBody(plain.replace('COMPUTE', 'COMPUTE\\u0042'))).toBe(true);
    expect(prefilter.mayMatchBody(plain.replace('COMPUTE', 'COMPUTE\\u003c'))).toBe(false);
    expect(prefilter.mayMatchBody(Buffer.from(plain.replace('COMPUTE', 'COMPUTE\u212a')))).toBe(true);
    expect(prefilter.mayMatchBody(plain.replace('COMPUTE', 'COMPUTE\u0130'))).toBe(true);
  });
});
