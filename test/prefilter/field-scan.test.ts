import { describe, expect, it } from 'vitest';
import { collectTokens, leafSearches, type FieldToken } from '../../src/prefilter/field-scan.js';
import { buildRuleSet, type RuleSet } from '../../src/rules/rule-set.js';
import { loadRuleFiles } from '../../src/rules/load-rules.js';
import { aksRecord, auditEvent, cronJobBody, jobBody, podSpec } from '../helpers/audit.js';
import { bundledRuleSet, FIXED_CLOCK, processBatch } from '../helpers/detector.js';
import { ruleYaml } from '../helpers/rules.js';
import { REPO_ROOT } from '../helpers/shared.js';

const attack = auditEvent({ requestObject: cronJobBody(podSpec({ image: 'alpine:3.20', command: ['sh'] })) });
/** What a cluster that runs Jobs writes all day: the controllers' own writes carry `jobs`, `cronjobs` and `update`. */
const controllerWrites = [
  auditEvent({
    verb: 'update',
    resource: 'jobs',
    subresource: 'status',
    username: 'system:serviceaccount:kube-system:job-controller',
    requestObject: jobBody(podSpec({ image: 'alpine:3.20' })),
  }),
  auditEvent({
    verb: 'create',
    resource: 'jobs',
    username: 'system:serviceaccount:kube-system:cronjob-controller',
    requestObject: jobBody(podSpec({ image: 'busybox' })),
  }),
  auditEvent({ verb: 'update', resource: 'leases', username: 'system:node:aks-nodepool1-0' }),
  auditEvent({
    verb: 'list',
    resource: 'cronjobs',
    username: 'system:serviceaccount:kube-system:cronjob-controller',
  }),
];

function body(records: Record<string, unknown>[]): Buffer {
  return Buffer.from(JSON.stringify({ records }));
}

function run(ruleSet: RuleSet, input: Buffer) {
  const on = processBatch([{ body: input, origin: { event: 0 } }], {
    ruleSet,
    clock: FIXED_CLOCK,
    detectorVersion: 'test',
  });
  const off = processBatch([{ body: input, origin: { event: 0 } }], {
    ruleSet,
    clock: FIXED_CLOCK,
    detectorVersion: 'test',
    prefilter: false,
  });
  expect(on.findings).toEqual(off.findings);
  return on;
}

describe('the field scan of embedded audit events', () => {
  it('skips a body of controller writes to jobs and cronjobs without parsing it', async () => {
    const ruleSet = await bundledRuleSet();
    const result = run(ruleSet, body(controllerWrites.map((e) => aksRecord(e, { category: 'kube-audit' }))));
    expect(result.report.prefilterSkippedBodies).toBe(1);
    expect(result.findings).toHaveLength(0);
  });

  it('parses the body when one record among them is an attack', async () => {
    const ruleSet = await bundledRuleSet();
    const records = [...controllerWrites, attack].map((e) => aksRecord(e, { category: 'kube-audit' }));
    const result = run(ruleSet, body(records));
    expect(result.report.prefilterSkippedBodies).toBe(0);
    expect(result.findings).toHaveLength(1);
  });

  it('finds an attack whose record holds properties as a JSON string (evasion 6)', async () => {
    const ruleSet = await bundledRuleSet();
    const record = aksRecord(attack);
    const stringified = { ...record, properties: JSON.stringify(record['properties']) };
    // Behind a record in the usual form, so the body holds a raw "log":" key too.
    const result = run(
      ruleSet,
      body([aksRecord(controllerWrites[2] as Record<string, unknown>), stringified]),
    );
    expect(result.findings).toHaveLength(1);
  });

  it('finds a number a rule names as text however the body spells it (evasion 6)', async () => {
    const bundled = await loadRuleFiles([`${REPO_ROOT}/rules`]);
    const rule = {
      path: 'test/not-found.yml',
      text: ruleYaml(
        "sel:\n    verb: delete\n    responseStatus.code: '404'\ncondition: sel",
        'product: kubernetes\n    service: audit',
      ),
    };
    const { ruleSet } = buildRuleSet([...bundled, rule]);
    expect(ruleSet.prefilter.enabled).toBe(true);
    const text = JSON.stringify({ records: [aksRecord(auditEvent({ verb: 'delete', code: 404 }))] });
    for (const spelling of ['4.04e2', '404.0', '40400E-2']) {
      const result = run(ruleSet, Buffer.from(text.replace('\\"code\\":404', `\\"code\\":${spelling}`)));
      expect(result.findings, spelling).toHaveLength(1);
    }
  });

  it('parses what it cannot read or place: spacing, a dotted key, an escaped key, a list', async () => {
    const { prefilter } = await bundledRuleSet();
    const lease = JSON.stringify({
      records: [aksRecord(auditEvent({ verb: 'update', resource: 'leases' }))],
    });
    // Ruled out by the resource alone: no other field is searched.
    expect(prefilter.mayMatchBody(Buffer.from(lease))).toBe(false);
    for (const variant of [
      lease.replace('\\"resource\\":\\"leases\\"', '\\"resource\\" :\\"jobs\\"'),
      lease.replace('\\"objectRef\\":{', '\\"objectRef.resource\\":\\"jobs\\",\\"objectRef\\":{'),
      lease.replace('\\"verb\\":', '\\"res\\\\u006furce\\":\\"jobs\\",\\"verb\\":'),
      lease.replace('\\"verb\\":', '\\"resource\\":[\\"jobs\\"],\\"verb\\":'),
    ]) {
      expect(variant).not.toBe(lease);
      expect(prefilter.mayMatchBody(Buffer.from(variant)), variant).toBe(true);
    }
  });
});

/** The bundled rules and one more on audit events; the prefilter stays on. */
async function withKubeAuditRule(path: string, detection: string): Promise<RuleSet> {
  const bundled = await loadRuleFiles([`${REPO_ROOT}/rules`]);
  const rule = { path, text: ruleYaml(detection, 'product: kubernetes\n    service: audit') };
  const { ruleSet } = buildRuleSet([...bundled, rule]);
  expect(ruleSet.prefilter.enabled).toBe(true);
  return ruleSet;
}

/** The test rule finds `match`, and only it, at every place among `events`: the body is parsed. */
function expectFoundWherever(
  ruleSet: RuleSet,
  events: Record<string, unknown>[],
  match: Record<string, unknown>,
): void {
  for (let at = 0; at <= events.length; at++) {
    const records = [...events.slice(0, at), match, ...events.slice(at)].map((e) =>
      aksRecord(e, { category: 'kube-audit' }),
    );
    const result = run(ruleSet, body(records));
    expect(result.report.prefilterSkippedBodies, `at ${at}`).toBe(0);
    expect(
      result.findings.map((f) => f.RuleTitle),
      `at ${at}`,
    ).toEqual(['test rule']);
  }
}

describe('the field scan when a body holds a character that folds into an anchor', () => {
  /** NetworkPolicy deletions by anyone but the system: its anchor `networkpolicies` holds a `k`, which U+212A KELVIN SIGN folds into. */
  const withNetworkPolicyRule = () =>
    withKubeAuditRule(
      'test/network-policy-deleted.yml',
      "sel:\n    objectRef.resource: networkpolicies\n    verb: delete\nsys:\n    user.username|startswith: 'system:'\ncondition: sel and not sys",
    );
  /** A label a cluster may well hold: a temperature written with the Kelvin sign. */
  const kelvin = auditEvent({
    verb: 'update',
    resource: 'configmaps',
    username: 'system:serviceaccount:kube-system:sensor',
    requestObject: { kind: 'ConfigMap', metadata: { name: 'sensor', labels: { max: '300\u212a' } } },
  });
  const deletion = (username: string) =>
    auditEvent({ verb: 'delete', resource: 'networkpolicies', username });

  it('still rules out, field by field, a body none of whose events can match', async () => {
    const ruleSet = await withNetworkPolicyRule();
    const records = [...controllerWrites, kelvin, deletion('system:serviceaccount:kube-system:gc')].map((e) =>
      aksRecord(e, { category: 'kube-audit' }),
    );
    const result = run(ruleSet, body(records));
    expect(result.findings).toHaveLength(0);
    expect(result.report.prefilterSkippedBodies).toBe(1);
  });

  it('finds the one event that matches among them, wherever it stands', async () => {
    const ruleSet = await withNetworkPolicyRule();
    const events = [...controllerWrites, kelvin, deletion('system:serviceaccount:kube-system:gc')];
    expectFoundWherever(ruleSet, events, deletion('mallory@contoso.example'));
  });
});

describe('the field scan when no field is needed by every rule', () => {
  /** Anything the anonymous user does: with the bundled rule on jobs, no field is read by both, so every event is scanned. */
  const withAnonymousRule = () =>
    withKubeAuditRule('test/anonymous.yml', "sel:\n    user.username: 'system:anonymous'\ncondition: sel");
  /** The name spelt in another field's value: no rule reads it there. */
  const decoy = auditEvent({
    verb: 'update',
    resource: 'configmaps',
    username: 'system:serviceaccount:default:app',
    // A value that spells the field's key: read as a value, not as a key the scan cannot read.
    requestObject: { kind: 'ConfigMap', data: { 'oidc-username-claim': 'username' } },
  });
  decoy['annotations'] = {
    'authorization.k8s.io/decision': 'forbid',
    'authorization.k8s.io/reason': 'system:anonymous',
  };

  it('rules out a body whose events name the user nowhere a rule reads it', async () => {
    const ruleSet = await withAnonymousRule();
    const records = [...controllerWrites, decoy].map((e) => aksRecord(e, { category: 'kube-audit' }));
    const result = run(ruleSet, body(records));
    expect(result.findings).toHaveLength(0);
    expect(result.report.prefilterSkippedBodies).toBe(1);
  });

  it('finds the anonymous request wherever it stands among them', async () => {
    const ruleSet = await withAnonymousRule();
    const events = [...controllerWrites, decoy];
    const anonymous = auditEvent({
      verb: 'list',
      resource: 'secrets',
      username: 'system:anonymous',
      code: 403,
    });
    expectFoundWherever(ruleSet, events, anonymous);
  });
});

describe('the field scan reads a value exactly or not at all', () => {
  /** The cluster's local admin account, however an identity provider spells the name around it. */
  const withAdminRule = () =>
    withKubeAuditRule(
      'test/local-admin.yml',
      "sel:\n    user.username|contains: 'kubernetes-admin'\ncondition: sel",
    );

  it.each([
    // An escape inside the value: the text before it is not the value.
    ['a quote', 'oidc:"kubernetes-admin"'],
    ['a backslash', 'oidc:corp\\kubernetes-admin'],
    // U+212A KELVIN SIGN lower-cases to `k`; its UTF-8 bytes are no ASCII letter.
    ['a character folding into ASCII', '\u212aubernetes-admin'],
  ])('finds a username holding %s', async (_, username) => {
    const ruleSet = await withAdminRule();
    const records = [...controllerWrites, auditEvent({ verb: 'get', resource: 'secrets', username })].map(
      (e) => aksRecord(e, { category: 'kube-audit' }),
    );
    const result = run(ruleSet, body(records));
    expect(result.findings.map((f) => f.RuleTitle)).toEqual(['test rule']);
  });
});

describe('collecting the tokens of one field', () => {
  /** A record's `log` as the blob export writes it: the audit event as a JSON string. */
  const records = (events: readonly object[]): string =>
    JSON.stringify({ records: events.map((event) => ({ log: JSON.stringify(event) })) });
  const values = (tokens: readonly FieldToken[]): (string | undefined)[] => tokens.map((t) => t.value);

  it('takes only the keys that are the field, not a value or a longer key ending in its name', () => {
    const text = records([
      {
        kind: 'Event',
        verb: 'get',
        groups: ['verb'],
        objectRef: { resource: 'jobs', subresource: 'status' },
      },
    ]);
    const verbs: FieldToken[] = [];
    expect(collectTokens(text, 0, 'verb', verbs)).toBe(true);
    expect(values(verbs)).toEqual(['get']);
    const resources: FieldToken[] = [];
    expect(collectTokens(text, 1, 'resource', resources)).toBe(true);
    expect(values(resources)).toEqual(['jobs']);
  });

  it('never answers for a region without every key of the field in it', () => {
    // Keys whose names end in the leaf after an escaped quote or backslash: none is the field,
    // and none may hide the one that is.
    for (const decoy of ['x"verb', 'a\\b.verb', 'a"b.verb']) {
      const text = records([{ [decoy]: 'get', verb: 'delete' }]);
      const tokens: FieldToken[] = [];
      const exact = collectTokens(text, 0, 'verb', tokens);
      expect(!exact || values(tokens).includes('delete'), decoy).toBe(true);
    }
  });

  it('finds the same keys in regions read in text order with the remembered search as without it', () => {
    const text = records(['get', 'list', 'create', 'delete'].map((verb) => ({ verb })));
    const openers = [...text.matchAll(/"log":"/g)].map((m) => m.index);
    const regions = openers.map((from, i) => ({ from, to: openers[i + 1] ?? text.length }));
    // Every choice of regions, some skipped, as the anchored scan reads them.
    for (let chosen = 1; chosen < 1 << regions.length; chosen++) {
      const read = regions.filter((_, i) => (chosen & (1 << i)) !== 0);
      const [last] = leafSearches([{ name: 'verb', leaf: 'verb' }]);
      for (const { from, to } of read) {
        const remembered: FieldToken[] = [];
        const fresh: FieldToken[] = [];
        expect(collectTokens(text, 0, 'verb', remembered, from, to, last)).toBe(true);
        expect(collectTokens(text, 0, 'verb', fresh, from, to)).toBe(true);
        expect(remembered).toEqual(fresh);
        expect(fresh).toHaveLength(1);
      }
    }
  });
});
