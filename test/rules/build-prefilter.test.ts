import { describe, expect, it } from 'vitest';
import type { SourcePrefilter } from '../../src/prefilter/prefilter.js';
import { buildRuleSet } from '../../src/rules/rule-set.js';
import type { SourceKind } from '../../src/sources/source-kind.js';
import { ruleYaml } from '../helpers/rules.js';

/** The prefilter a rule set gets per source: on with its literals and field scan, or off and why. */

const KUBE = 'product: kubernetes\n    service: audit';
const ACTIVITY = 'product: azure\n    service: activitylogs';

let next = 0;
function rule(detection: string, logsource = KUBE, title = 'test rule') {
  next += 1;
  const id = `${String(next).padStart(8, '0')}-1111-4111-8111-111111111111`;
  return {
    path: `rules/r${next}.yml`,
    id,
    text: ruleYaml(detection, logsource)
      .replace('9a0f1a52-8d47-4b2e-9a6f-0c1d2e3f4a5b', id)
      .replace('test rule', title),
  };
}

function prefilterOf(...rules: { path: string; text: string }[]): ReadonlyMap<SourceKind, SourcePrefilter> {
  const { ruleSet, files } = buildRuleSet(rules);
  expect(files.map((f) => f.status)).toEqual(rules.map(() => 'active'));
  return ruleSet.prefilter.sources;
}

/** The scan as names: which fields, and which one every rule needs. */
function scanOf(prefilter: SourcePrefilter | undefined) {
  if (prefilter?.state !== 'on') throw new Error(`prefilter ${prefilter?.state}`);
  const { scan } = prefilter;
  if (scan === undefined) return undefined;
  return {
    fields: scan.fields.map((f) => f.name),
    pivot: scan.pivot === undefined ? undefined : { ...scan.pivot, field: scan.pivot.field.name },
  };
}

const CRONJOB_CREATE = 'sel:\n  verb: create\n  objectRef.resource: cronjobs\ncondition: sel';

describe('buildPrefilter', () => {
  it('no rule: no source is prefiltered', () => {
    expect([...prefilterOf().keys()]).toEqual([]);
  });

  it('kube-audit rules on the scanned fields: literals, the gate, and a scan pivoting on the field every rule needs', () => {
    const sources = prefilterOf(
      rule(CRONJOB_CREATE),
      rule('sel:\n  verb: [create, patch]\n  objectRef.resource: [jobs, cronjobs]\ncondition: sel'),
    );
    expect([...sources.keys()]).toEqual(['KubeAudit']);
    expect(sources.get('KubeAudit')).toMatchObject({
      state: 'on',
      gate: 'kube-audit',
      embeddedKey: 'log',
      rules: [
        [['cronjobs'], ['create']],
        [['jobs'], ['create', 'patch']],
      ],
    });
    expect(scanOf(sources.get('KubeAudit'))).toEqual({
      fields: ['objectRef.resource', 'verb'],
      pivot: { field: 'objectRef.resource', index: 0, alone: true, anchors: ['cronjobs', 'jobs'] },
    });
  });

  it('only the scanned fields some rule reads are searched', () => {
    const sources = prefilterOf(rule('sel:\n  user.username: mallory\ncondition: sel'));
    expect(scanOf(sources.get('KubeAudit'))).toEqual({
      fields: ['user.username'],
      pivot: { field: 'user.username', index: 0, alone: true, anchors: ['mallory'] },
    });
  });

  it('no field every rule needs: a scan without a pivot', () => {
    const sources = prefilterOf(
      rule('sel:\n  verb: create\ncondition: sel'),
      rule('sel:\n  user.username: mallory\ncondition: sel'),
    );
    expect(scanOf(sources.get('KubeAudit'))).toEqual({ fields: ['verb', 'user.username'], pivot: undefined });
  });

  it('a rule with two items on the pivot field: the pivot is not alone', () => {
    const sources = prefilterOf(
      rule('sel:\n  objectRef.resource: cronjobs\n  objectRef.resource|endswith: jobs\ncondition: sel'),
    );
    expect(scanOf(sources.get('KubeAudit'))?.pivot).toEqual({
      field: 'objectRef.resource',
      index: 0,
      alone: false,
      anchors: ['cronjobs', 'jobs'],
    });
  });

  it('a rule reading no scanned field: literals only, no scan', () => {
    const sources = prefilterOf(rule("sel:\n  requestURI|contains: '/cronjobs'\ncondition: sel"));
    expect(sources.get('KubeAudit')).toMatchObject({ state: 'on', rules: [[['cronjobs']]] });
    expect(scanOf(sources.get('KubeAudit'))).toBeUndefined();
  });

  it('a source without embedded events: literals, no gate, no scan', () => {
    const sources = prefilterOf(
      rule(
        "sel:\n  operationName: 'MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/WRITE'\ncondition: sel",
        ACTIVITY,
      ),
    );
    expect(sources.get('AzureActivity')).toEqual({
      state: 'on',
      gate: undefined,
      embeddedKey: undefined,
      rules: [[['microsoft.containerservice'], ['managedclusters'], ['write']]],
      scan: undefined,
    });
  });

  it('a rule that requires no literal turns the source off, naming the rule', () => {
    const miner = rule('sel:\n  image|contains: xmrig\ncondition: sel', KUBE, 'miner');
    const sources = prefilterOf(rule(CRONJOB_CREATE), miner);
    expect(sources.get('KubeAudit')).toEqual({
      state: 'off',
      reason: `rule ${miner.id} ("miner") requires no literal (it matches on not, a missing field, a regular expression, a number or a derived field)`,
    });
  });

  it('a rule negating a scanned field requires no literal either', () => {
    const negated = rule(
      'filter:\n  verb: get\ncondition: not filter',
      ACTIVITY.replace('azure', 'kubernetes').replace('activitylogs', 'audit'),
    );
    expect(prefilterOf(negated).get('KubeAudit')?.state).toBe('off');
  });
});
