import { describe, expect, it } from 'vitest';
import { activityRecord as activitySourceRecord } from '../../src/sources/activity-log/activity-record.js';
import { auditRecord } from '../../src/sources/kube-audit/audit-record.js';
import { activityRecord } from '../helpers/detector.js';

describe('operation keys of records with a resourceId that is not a string', () => {
  const forged = { id: '/subscriptions/x' };

  it('never print an object as [object Object] (Activity Log)', () => {
    const record = activityRecord('MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/CRONJOBS/WRITE', {
      resourceId: forged,
    });
    const key = activitySourceRecord(record).context().operationKey;
    expect(key).not.toContain('[object Object]');
  });

  it('never print an object as [object Object] (kube-audit)', () => {
    const key = auditRecord({ category: 'kube-audit', resourceId: forged }, { auditID: 'a-1' }).context()
      .operationKey;
    expect(key).toBe('a-1|');
  });
});
