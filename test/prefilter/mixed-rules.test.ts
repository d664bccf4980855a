import { describe, expect, it } from 'vitest';
import { auditEvent } from '../helpers/audit.js';
import { activityRecord, bundledRuleSet } from '../helpers/detector.js';
import {
  ACTIVITY,
  activityBody,
  BACKDOOR,
  backdoorCreate,
  corednsUpdate,
  aksBody,
  KUBE_AUDIT,
  RULED_OUT,
  ruleSetOf,
  verdict,
  type TestRule,
} from './verdicts.js';

/**
 * Rule sets that mix sources, share literals, or name several values of the field the scan
 * searches first: each rule keeps its own literals, and every event a rule matches is let through
 * wherever it stands in the body.
 */

const SECRET_OR_CONFIGMAP_DELETE: TestRule = {
  title: 'secret or config map deleted',
  detection:
    'sel:\n    verb: delete\n    objectRef.resource:\n        - secrets\n        - configmaps\ncondition: sel',
  logsource: KUBE_AUDIT,
};
const CRONJOB_WRITE: TestRule = {
  title: 'cronjob write',
  detection: "sel:\n    operationName|endswith: '/CRONJOBS/WRITE'\ncondition: sel",
  logsource: ACTIVITY,
};

describe('sources prefiltered together', () => {
  it('is off for every body when one source has a rule that needs no literal', () => {
    const ruleSet = ruleSetOf(SECRET_OR_CONFIGMAP_DELETE, {
      title: 'failed anything',
      detection: "sel:\n    resultType|re: '^Fail'\ncondition: sel",
      logsource: ACTIVITY,
    });
    expect(ruleSet.prefilter.enabled).toBe(false);
    const lease = aksBody(auditEvent({ verb: 'update', resource: 'leases' }));
    expect(verdict(ruleSet, lease)).toEqual({ passes: true, findings: [] });
    // The source that can be prefiltered still gates its own embedded events.
    expect(ruleSet.prefilter.embeddedGate('KubeAudit')).toBeDefined();
  });

  it('has no gate for embedded events when their source cannot be prefiltered', () => {
    const ruleSet = ruleSetOf(CRONJOB_WRITE, {
      title: 'anything but reads',
      detection: 'filter:\n    verb: get\ncondition: not filter',
      logsource: KUBE_AUDIT,
    });
    expect(ruleSet.prefilter.enabled).toBe(false);
    expect(ruleSet.prefilter.embeddedGate('KubeAudit')).toBeUndefined();
  });

  it('lets each source through on its own rules', () => {
    const ruleSet = ruleSetOf(SECRET_OR_CONFIGMAP_DELETE, CRONJOB_WRITE);
    const write = activityRecord('MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/CRONJOBS/WRITE');
    expect(verdict(ruleSet, activityBody(write))).toEqual({ passes: true, findings: ['cronjob write'] });
    expect(verdict(ruleSet, aksBody(auditEvent({ verb: 'delete', resource: 'configmaps' })))).toEqual({
      passes: true,
      findings: ['secret or config map deleted'],
    });
    expect(verdict(ruleSet, activityBody(activityRecord('MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE')))).toEqual(
      RULED_OUT,
    );
    expect(verdict(ruleSet, aksBody(auditEvent({ verb: 'get', resource: 'configmaps' })))).toEqual(RULED_OUT);
  });
});

describe('rules whose literals run together alike', () => {
  it('keeps `batchjobs` and the pair `batch`, `jobs` apart', () => {
    const ruleSet = ruleSetOf(
      {
        title: 'batchjobs',
        detection: "sel:\n    properties.message|contains: 'batchjobs'\ncondition: sel",
        logsource: ACTIVITY,
      },
      {
        title: 'batch or jobs',
        detection:
          "sel:\n    operationName|contains:\n        - '/BATCH/'\n        - '/JOBS/'\ncondition: sel",
        logsource: ACTIVITY,
      },
    );
    const batch = activityRecord('MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/CRONJOBS/WRITE');
    expect(verdict(ruleSet, activityBody(batch))).toEqual({ passes: true, findings: ['batch or jobs'] });
  });
});

describe('several values of the field searched first', () => {
  const ruleSet = ruleSetOf(SECRET_OR_CONFIGMAP_DELETE);
  const get = (resource: string) => auditEvent({ verb: 'get', resource });
  const deletion = (resource: string) => auditEvent({ verb: 'delete', resource });

  it('finds a deletion of either, before or after reads of the other', () => {
    expect(verdict(ruleSet, aksBody(deletion('secrets'), get('configmaps')))).toEqual({
      passes: true,
      findings: ['secret or config map deleted'],
    });
    expect(verdict(ruleSet, aksBody(get('secrets'), deletion('configmaps')))).toEqual({
      passes: true,
      findings: ['secret or config map deleted'],
    });
    expect(verdict(ruleSet, aksBody(get('configmaps'), get('secrets'), deletion('secrets')))).toEqual({
      passes: true,
      findings: ['secret or config map deleted'],
    });
  });

  it('rules out reads of both and deletions of others', () => {
    expect(
      verdict(ruleSet, aksBody(get('configmaps'), deletion('pods'), get('secrets'), deletion('leases'))),
    ).toEqual(RULED_OUT);
  });
});

describe('literals of one rule across many embedded events', () => {
  const ruleSet = ruleSetOf(BACKDOOR);
  const system = corednsUpdate;
  const backdoor = backdoorCreate;

  it('rules out a body where they alternate, one per event', () => {
    const body = aksBody(system, backdoor('default'), system, backdoor('default'), system, backdoor('prod'));
    expect(verdict(ruleSet, body)).toEqual(RULED_OUT);
  });

  it('finds the one event that holds both, wherever it stands among them', () => {
    const others = [system, backdoor('default'), system, backdoor('default'), system];
    for (let at = 0; at <= others.length; at++) {
      const events = [...others.slice(0, at), backdoor('kube-system'), ...others.slice(at)];
      expect(verdict(ruleSet, aksBody(...events)), `at ${at}`).toEqual({
        passes: true,
        findings: ['backdoor in kube-system'],
      });
    }
  });
});

describe('the bundled rules on a record the scan cannot read', () => {
  it('rules it out when the literal the rules need stands in it only outside the scanned fields', async () => {
    const ruleSet = await bundledRuleSet();
    // A lease renewal whose resource key is spaced (unreadable), labelled with `jobs` elsewhere.
    const lease = auditEvent({
      verb: 'update',
      resource: 'leases',
      username: 'mallory@contoso.example',
      requestObject: { kind: 'Lease', metadata: { name: 'x', labels: { app: 'jobs' } } },
    });
    const body = aksBody(lease).replace('\\"resource\\":\\"leases\\"', '\\"resource\\" :\\"leases\\"');
    expect(body).toContain('\\"resource\\" :');
    expect(verdict(ruleSet, body)).toEqual(RULED_OUT);
  });
});
