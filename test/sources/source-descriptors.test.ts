import { describe, expect, it } from 'vitest';
import { ALIASES } from '../../src/sources/activity-log/activity-document.js';
import { DERIVED_FIELDS } from '../../src/sources/kube-audit/audit-document.js';
import { recogniseRecord } from '../../src/sources/recognise.js';
import { SOURCES, sourceById, sourceForLogsource } from '../../src/sources/sources.js';
import { activityRecord } from '../helpers/detector.js';

describe('log source descriptors', () => {
  it('have distinct ids, names and shape ids', () => {
    expect(new Set(SOURCES.map((s) => s.id)).size).toBe(SOURCES.length);
    expect(new Set(SOURCES.map((s) => s.displayName)).size).toBe(SOURCES.length);
    for (const source of SOURCES)
      expect(new Set(source.shapes.map((s) => s.id)).size).toBe(source.shapes.length);
  });

  it('catalogue every derived kube-audit field, and say which fields the prefilter may search', () => {
    const audit = sourceById('KubeAudit');
    const derived = [...(audit?.fields ?? [])].filter(([, f]) => f.origin === 'derived').map(([n]) => n);
    expect(derived.sort()).toEqual(Object.keys(DERIVED_FIELDS).sort());
    for (const [name, info] of audit?.fields ?? [])
      expect(audit?.prefilter.isRawField(name), name).toBe(info.origin !== 'derived');
  });

  it('catalogue every Activity Log alias with the origin the prefilter relies on', () => {
    const activity = sourceById('AzureActivity');
    for (const [name, alias] of ALIASES) {
      const info = activity?.fields.get(name);
      expect(info?.origin, name).toBe(typeof alias === 'string' ? 'renamed' : 'derived');
      expect(activity?.prefilter.isRawField(name), name).toBe(info?.origin !== 'derived');
    }
  });

  it('give every field a type and a meaning', () => {
    for (const source of SOURCES)
      for (const [name, info] of source.fields) expect(info.meaning.length, name).toBeGreaterThan(5);
  });

  it('recognise an Activity Log record and no resource log of another category', () => {
    expect(
      recogniseRecord(activityRecord('MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/WRITE'))?.source.id,
    ).toBe('AzureActivity');
    expect(
      recogniseRecord({ operationName: 'Microsoft.Web/sites/Write', category: 'AppServiceHTTPLogs' }),
    ).toBeUndefined();
    expect(recogniseRecord({ operationName: 'x', category: 'kube-audit-admin' })?.source.id).toBe(
      'KubeAudit',
    );
  });

  it('map Sigma log sources onto sources', () => {
    expect(sourceForLogsource({ product: 'azure', service: 'activitylogs' })).toBe('AzureActivity');
    expect(sourceForLogsource({ product: 'kubernetes', service: 'audit', category: 'application' })).toBe(
      'KubeAudit',
    );
    expect(sourceForLogsource({ product: 'windows', service: 'security' })).toBeUndefined();
  });
});
