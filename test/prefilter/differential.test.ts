import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../bench/generate.js';
import type { InputBody } from '../../src/pipeline/detector.js';
import { loadRuleFiles } from '../../src/rules/load-rules.js';
import { buildRuleSet, type RuleSet } from '../../src/rules/rule-set.js';
import { bundledRuleSet, FIXED_CLOCK, processBatch } from '../helpers/detector.js';
import { ruleYaml } from '../helpers/rules.js';
import { REPO_ROOT, sharedPath } from '../helpers/shared.js';
import { spell, type Spelling } from './json-spellings.js';

const RUNS = Number(process.env['PREFILTER_RUNS'] ?? 300);

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
const VERBS = ['create', 'update', 'patch', 'get', 'list', 'delete', 'watch'];
const RESOURCES = ['cronjobs', 'jobs', 'pods', 'deployments', 'leases'];
const USERS = [
  'mallory@contoso.example',
  'system:serviceaccount:kube-system:cronjob-controller',
  'system:serviceaccount:kube-system:job-controller',
  'system:serviceaccount:argocd:argocd-application-controller',
  'system:node:aks-nodepool1-31415926-vmss000001',
];
const CODES = [200, 201, 403, 404, 409];

/** How an AKS record carries its event: `properties.log` a string (as AKS writes it), an object, or `properties` itself a string. */
const PROPERTIES = ['log-string', 'log-object', 'properties-string'] as const;
/** Where the caller and the resource stand: as the API server writes them, or in shapes a field lookup also reads. */
const SHAPES = [
  'standard',
  'user-list',
  'dotted-keys',
  'no-user',
  'decoys',
  'resource-list',
  'objectref-list',
  'nested-user',
  'anonymous',
  'userless',
] as const;

const activityRecord = fc
  .record({
    op: fc.constantFrom(...OPERATIONS),
    corr: fc.uuid(),
    duration: fc.integer({ min: 0, max: 5000 }),
  })
  .map((r) => ({ kind: 'activity' as const, ...r }));
const auditRecord = fc
  .record({
    verb: fc.constantFrom(...VERBS),
    resource: fc.constantFrom(...RESOURCES),
    subresource: fc.constantFrom(undefined, undefined, 'status'),
    image: fc.constantFrom(...IMAGES),
    privileged: fc.boolean(),
    user: fc.constantFrom(...USERS),
    properties: fc.constantFrom(...PROPERTIES),
    shape: fc.constantFrom(...SHAPES),
    code: fc.constantFrom(...CODES),
    id: fc.uuid(),
    command: fc.constantFrom(['sleep', '1'], ['sh', '-c', 'chmod +x /x'], []),
  })
  .map((r) => ({ kind: 'audit' as const, ...r }));

type ActivityInput = { kind: 'activity'; op: string; corr: string; duration: number };
type AuditInput = {
  kind: 'audit';
  verb: string;
  resource: string;
  subresource: string | undefined;
  image: string;
  privileged: boolean;
  user: string;
  properties: (typeof PROPERTIES)[number];
  shape: (typeof SHAPES)[number];
  code: number;
  id: string;
  command: readonly string[];
};

const oneRecord = fc.oneof(activityRecord, auditRecord);
const batch = fc.record({
  // Now and then more records than the detector decides in one group (32).
  records: fc.oneof(
    { arbitrary: fc.array(oneRecord, { minLength: 1, maxLength: 6 }), weight: 9 },
    { arbitrary: fc.array(oneRecord, { minLength: 33, maxLength: 70 }), weight: 1 },
  ),
  /** A body cut short, or with a byte spoilt, at a place drawn from 0 to 1: the same records must still be found. */
  damage: fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 6 },
    fc.record({
      kind: fc.constantFrom('cut' as const, 'spoil' as const),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
  ),
  seed: fc.integer(),
  escapeRate: fc.constantFrom(0, 0, 0, 0.01, 0.2),
  shuffleKeys: fc.boolean(),
  duplicateRate: fc.constantFrom(0, 0, 0.1, 0.5),
  spacing: fc.constantFrom(false, false, true),
  numbers: fc.constantFrom('plain' as const, 'float' as const, 'exponent' as const),
  encoding: fc.constantFrom('utf8', 'utf8', 'utf8', 'string', 'utf8-bom', 'utf16le-bom', 'utf16le'),
  caseMangling: fc.boolean(),
});

interface BatchInput {
  records: (ActivityInput | AuditInput)[];
  damage: { kind: 'cut' | 'spoil'; at: number } | undefined;
  seed: number;
  escapeRate: number;
  shuffleKeys: boolean;
  duplicateRate: number;
  spacing: boolean;
  numbers: Spelling['numbers'];
  encoding: string;
  caseMangling: boolean;
}

function auditEvent(r: AuditInput, text: (s: string) => string): Record<string, unknown> {
  const containers = [
    {
      name: 'c',
      image: text(r.image),
      command: [...r.command],
      securityContext: { privileged: r.privileged },
    },
  ];
  const objectRef = {
    resource: text(r.resource),
    namespace: 'default',
    name: 'x',
    apiGroup: 'batch',
    apiVersion: 'v1',
    ...(r.subresource === undefined ? {} : { subresource: r.subresource }),
  };
  const user = { username: r.user, groups: ['system:authenticated'] };
  const event: Record<string, unknown> = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'RequestResponse',
    auditID: r.id,
    stage: 'ResponseComplete',
    requestURI: `/apis/batch/v1/namespaces/default/${r.resource}?fieldManager=kubectl&dryRun=None`,
    verb: text(r.verb),
    user,
    sourceIPs: ['198.51.100.23'],
    objectRef,
    responseStatus: { metadata: {}, code: r.code },
    requestObject: {
      kind: 'CronJob',
      metadata: {
        name: 'x',
        labels: r.shape === 'decoys' ? { verb: 'create', resource: 'cronjobs', username: 'mallory' } : {},
        // The literals the prefilter searches for, everywhere but in the field: keys, other
        // fields' values, and a document embedded one level deeper that holds the field itself.
        annotations:
          r.shape === 'decoys'
            ? {
                jobs: 'cronjobs',
                'example.com/resource': [text('JOBS'), 'x'],
                'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({
                  objectRef: { resource: text('cronjobs') },
                  verb: 'create',
                  note: 'jobs',
                }),
              }
            : {},
      },
      spec: {
        jobTemplate: { spec: { template: { spec: { containers } } } },
        template: { spec: { containers: [{ name: 'c', image: text(r.image) }] } },
      },
    },
  };
  switch (r.shape) {
    case 'user-list':
      event['user'] = [user];
      break;
    case 'dotted-keys':
      // A field lookup also reads a key that holds the dots itself.
      delete event['objectRef'];
      event['objectRef.resource'] = objectRef.resource;
      event['user.username'] = r.user;
      break;
    case 'resource-list':
      objectRef.resource = ['pods', objectRef.resource] as unknown as string;
      break;
    case 'objectref-list':
      event['objectRef'] = [{ resource: 'pods' }, objectRef];
      break;
    case 'nested-user':
      // The caller's key path, but inside the request: the event itself names no user.
      delete event['user'];
      event['requestObject'] = {
        ...(event['requestObject'] as object),
        user: { username: 'system:node:decoy' },
      };
      break;
    case 'anonymous':
      // A caller without a name: a decoy `user` before it (a system principal's) must not be taken for it.
      event['user'] = { uid: 'u-1', groups: ['system:authenticated'] };
      break;
    case 'userless':
      delete event['user'];
      break;
    case 'no-user':
      delete event['user'];
      event['impersonatedUser'] = { username: 'system:node:decoy' };
      break;
    default:
      break;
  }
  return event;
}

function decoy(key: string): unknown {
  const decoys: Record<string, unknown> = {
    verb: 'create',
    resource: 'cronjobs',
    username: 'system:node:decoy',
    // A system principal's `user`, and its whole event, before the ones the parser keeps.
    user: { username: 'system:serviceaccount:kube-system:cronjob-controller' },
    log: `${JSON.stringify({
      verb: 'create',
      user: { username: 'system:serviceaccount:kube-system:cronjob-controller' },
      objectRef: { resource: 'cronjobs' },
    })}\n`,
    code: 404,
    operationName: OPERATIONS[0],
  };
  return Object.hasOwn(decoys, key) ? decoys[key] : 'decoy';
}

/** The text cut at a place, or with a byte there made `,` (after a key it is not JSON, in a string it is). */
function damaged(json: string, damage: BatchInput['damage']): string {
  if (damage === undefined) return json;
  const at = Math.floor(damage.at * json.length);
  return damage.kind === 'cut' ? json.slice(0, at) : `${json.slice(0, at)},${json.slice(at + 1)}`;
}

function batchValue(input: BatchInput): InputBody {
  const random = mulberry32(input.seed);
  const text = (s: string) => (input.caseMangling ? mangleCase(s, random) : s);
  const spelling: Spelling = { ...input, random, decoy };
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
        durationMs: r.duration,
        correlationId: r.corr,
      };
    }
    const event = auditEvent(r, text);
    const log = `${spell(event, spelling)}\n`;
    const properties =
      r.properties === 'log-object'
        ? { log: event, stream: 'stdout' }
        : r.properties === 'log-string'
          ? { log, stream: 'stdout' }
          : spell({ log, stream: 'stdout' }, spelling);
    return {
      operationName: 'Microsoft.ContainerService/managedClusters/diagnosticLogs/Read',
      category: text('kube-audit'),
      resourceId:
        '/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/AKS',
      properties,
    };
  });
  const json = damaged(spell({ records }, spelling), input.damage);
  const body =
    input.encoding === 'string'
      ? json
      : input.encoding === 'utf8'
        ? Buffer.from(json)
        : input.encoding === 'utf8-bom'
          ? Buffer.from(`\ufeff${json}`)
          : Buffer.from(input.encoding === 'utf16le-bom' ? `\ufeff${json}` : json, 'utf16le');
  return { body, origin: { event: 0 } };
}

const KUBE_AUDIT = 'product: kubernetes\n    service: audit';

/** Rules the field scan must decide generically: a regular expression on a scanned field, and a number read as text. */
const TEST_RULES = [
  {
    path: 'test/regex-resource.yml',
    text: ruleYaml(
      `sel:\n    objectRef.resource|re: '(?i)^(cron)?jobs$'\n    verb: [create, patch]\nsys:\n    user.username|startswith: 'system:'\ncondition: sel and not sys`,
      KUBE_AUDIT,
    ).replace('9a0f1a52-8d47-4b2e-9a6f-0c1d2e3f4a5b', '0c6f3a1e-2b4d-4e8f-9a1b-3c5d7e9f1a2b'),
  },
  {
    path: 'test/status-code.yml',
    text: ruleYaml(
      `sel:\n    verb: delete\n    responseStatus.code: '404'\ncondition: sel`,
      KUBE_AUDIT,
    ).replace('9a0f1a52-8d47-4b2e-9a6f-0c1d2e3f4a5b', '5e2a8c4f-6b1d-4a3e-8f7c-9d0b2e4f6a8c'),
  },
];

async function ruleSets(): Promise<{ name: string; ruleSet: RuleSet; prefiltered: boolean }[]> {
  const bundled = await loadRuleFiles([`${REPO_ROOT}/rules`]);
  const sets = [
    { name: 'bundled', ruleSet: buildRuleSet(bundled).ruleSet, prefiltered: true },
    { name: 'bundled + test', ruleSet: buildRuleSet([...bundled, ...TEST_RULES]).ruleSet, prefiltered: true },
  ];
  const activity = sharedPath('sigmahq', 'rules', 'cloud');
  if (activity !== undefined)
    sets.push({
      name: 'bundled + SigmaHQ cloud',
      ruleSet: buildRuleSet([...bundled, ...(await loadRuleFiles([activity]))]).ruleSet,
      prefiltered: true,
    });
  const audit = sharedPath('sigmahq', 'rules', 'application', 'kubernetes');
  if (audit !== undefined)
    sets.push({
      name: 'bundled + SigmaHQ kubernetes',
      ruleSet: buildRuleSet([...bundled, ...(await loadRuleFiles([audit]))]).ruleSet,
      prefiltered: false,
    });
  return sets;
}

describe('the prefilter never changes findings', () => {
  it('finds the same rows with the prefilter on and off, on bodies spelt every way JSON allows', async () => {
    for (const { name, ruleSet, prefiltered } of await ruleSets()) {
      if (prefiltered) expect(ruleSet.prefilter.enabled, name).toBe(true);
      const on = { ruleSet, clock: FIXED_CLOCK, detectorVersion: 'test' };
      const off = { ...on, prefilter: false };
      let skipped = 0;
      let found = 0;
      let unparsed = 0;
      let foundInDamaged = 0;
      fc.assert(
        fc.property(fc.array(batch, { minLength: 1, maxLength: 5 }), (batches) => {
          const inputs = batches.map((b) => batchValue(b));
          const withPrefilter = processBatch(inputs, on);
          skipped +=
            withPrefilter.report.prefilterSkippedBodies +
            withPrefilter.report.prefilterSkippedRecords +
            withPrefilter.report.prefilterUnparsedRecords;
          found += withPrefilter.findings.length;
          unparsed += withPrefilter.report.prefilterUnparsedRecords;
          if (batches.some((b) => b.damage !== undefined)) foundInDamaged += withPrefilter.findings.length;
          expect(withPrefilter.findings).toEqual(processBatch(inputs, off).findings);
        }),
        { numRuns: RUNS },
      );
      // The property means little unless the prefilter skipped things and rules found things.
      if (prefiltered) expect(skipped, name).toBeGreaterThan(0);
      expect(found, name).toBeGreaterThan(0);
      // Bodies were read record by record, and damaged ones still gave findings.
      if (prefiltered) expect(unparsed, name).toBeGreaterThan(0);
      expect(foundInDamaged, name).toBeGreaterThan(0);
    }
  }, 300_000);

  it('falls back to a full parse for escapes and case-folding hazards', async () => {
    const prefilter = (await bundledRuleSet()).prefilter;
    const plain =
      '{"records":[{"operationName":"MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE","category":"Administrative"}]}';
    expect(prefilter.mayMatchBody(plain)).toBe(false);
    expect(prefilter.mayMatchBody(Buffer.from(plain))).toBe(false);
    expect(prefilter.mayMatchBody(plain.replace('COMPUTE', 'COMPUTE\\u0042'))).toBe(true);
    expect(prefilter.mayMatchBody(Buffer.from(plain.replace('COMPUTE', 'COMPUTE\\u0042')))).toBe(true);
    expect(prefilter.mayMatchBody(plain.replace('COMPUTE', 'COMPUTE\\u003c'))).toBe(false);
    expect(prefilter.mayMatchBody(Buffer.from(plain.replace('COMPUTE', 'COMPUTE\\u003c')))).toBe(false);
  });

  it('takes a literal as absent only when no character that folds into it occurs', async () => {
    const prefilter = (await bundledRuleSet()).prefilter;
    // The rule matches this operation: U+212A KELVIN SIGN lower-cases to `k`.
    const kelvin = JSON.stringify({
      records: [
        {
          operationName: 'MICROSOFT.\u212aUBERNETES/CONNECTEDCLUSTERS/BATCH/JOBS/WRITE',
          category: 'Administrative',
        },
      ],
    });
    expect(prefilter.mayMatchBody(kelvin)).toBe(true);
    expect(prefilter.mayMatchBody(Buffer.from(kelvin))).toBe(true);
    // Neither sign can stand for a letter of `jobs`, which this body lacks: it is still skipped.
    const plain =
      '{"records":[{"operationName":"MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE","category":"Administrative"}]}';
    for (const sign of ['\u212a', '\u0130']) {
      expect(prefilter.mayMatchBody(plain.replace('COMPUTE', `COMPUTE${sign}`))).toBe(false);
      expect(prefilter.mayMatchBody(Buffer.from(plain.replace('COMPUTE', `COMPUTE${sign}`)))).toBe(false);
    }
    // UTF-16 is left to the parser, which reports it.
    expect(prefilter.mayMatchBody(Buffer.from(plain, 'utf16le'))).toBe(true);
  });
});
