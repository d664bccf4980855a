import { describe, expect, it, vi } from 'vitest';
import { latin1Read } from './latin1-read.js';
import { ByteLiteral } from '../../src/util/byte-literal.js';
import { auditEvent } from '../helpers/audit.js';
import { activityRecord } from '../helpers/detector.js';
import { activityBody, aksBody, BATCH_WRITE, KUBE_AUDIT, RULED_OUT, ruleSetOf, verdict } from './verdicts.js';

/**
 * What one body costs the prefilter: each literal is searched for once, and a body is made a
 * string at most once, whichever source's rules search it first.
 */

/** An audit rule on `jobs`, a literal the Activity Log rule needs too. */
const JOB_CREATE = {
  title: 'job created',
  detection: 'sel:\n    verb: create\n    objectRef.resource: jobs\ncondition: sel',
  logsource: KUBE_AUDIT,
};
const ruleSet = ruleSetOf(JOB_CREATE, BATCH_WRITE);
const reads = Array.from({ length: 30 }, (_, i) =>
  activityRecord('MICROSOFT.STORAGE/STORAGEACCOUNTS/WRITE', { correlationId: `c-${i}` }),
);
const cronJobWrite = activityRecord('MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/CRONJOBS/WRITE');

describe('searching one body', () => {
  it('places no anchor of an Activity Log body the Activity Log rule lets through', () => {
    const body = Buffer.from(activityBody(...reads.slice(0, 15), cronJobWrite, ...reads.slice(15)));
    const regions = vi.spyOn(ByteLiteral.prototype, 'lastIndexIn');
    try {
      expect(ruleSet.prefilter.mayMatchBody(body)).toBe(true);
      expect(regions).not.toHaveBeenCalled();
    } finally {
      regions.mockRestore();
    }
    expect(verdict(ruleSet, body.toString())).toEqual({ passes: true, findings: ['cronjob write'] });
  });

  it('makes one string of a body with no event key, read by both sources', () => {
    // All the Activity Log rule needs but `batch` (searched in a string of the body), and `jobs`,
    // the audit rule's anchor, outside any `"log":"` event: the one region is the whole body.
    const jobs = activityRecord('MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/JOBS/WRITE');
    const body = Buffer.from(activityBody(...reads, jobs));
    const read = latin1Read(() => expect(ruleSet.prefilter.mayMatchBody(body)).toBe(false));
    expect(read).toBe(body.length);
    expect(verdict(ruleSet, body.toString())).toEqual(RULED_OUT);
  });

  it('does not search again for the places of a literal already found absent', () => {
    // All the Activity Log rule needs but `jobs`: its search finds `jobs` absent, and the audit
    // rule's anchors are not searched for again.
    const body = Buffer.from(activityBody(...reads, cronJobWrite).replace(/cronjobs/gi, 'CRONTABS'));
    const places = vi.spyOn(ByteLiteral.prototype, 'positionsIn');
    const presence = vi.spyOn(ByteLiteral.prototype, 'occursIn');
    try {
      expect(ruleSet.prefilter.mayMatchBody(body)).toBe(false);
      const searched = [...places.mock.contexts, ...presence.mock.contexts].map(
        (l) => (l as ByteLiteral).literal,
      );
      expect(searched.filter((literal) => literal === 'jobs')).toHaveLength(1);
    } finally {
      places.mockRestore();
      presence.mockRestore();
    }
    expect(verdict(ruleSet, aksBody(auditEvent({ verb: 'create', resource: 'jobs' }))).findings).toEqual([
      'job created',
    ]);
  });
});
