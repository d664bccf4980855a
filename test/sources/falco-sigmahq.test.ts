import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRuleSet } from '../../src/rules/load-rules.js';
import { aksRecord, auditEvent } from '../helpers/audit.js';
import { FIXED_CLOCK, processBatch } from '../helpers/detector.js';
import { SHARED_MISSING, sharedPath } from '../helpers/shared.js';

const HOSTPATH_RULE = '402b955c-8fe0-4a8c-b635-622b4ac5f902';
const PRIVILEGED_RULE = 'c5cd1b20-36bb-488d-8c05-486be3d0cb97';
const CRONJOB_MODIFICATION_RULE = '0c9b3bda-41a6-4442-9345-356ae86343dc';

/** Runs SigmaHQ's kubernetes/audit rules over real audit events (Falco's fixtures) wrapped in the AKS envelope. */
async function sigmaHqFindings(): Promise<Map<string, string[]> | undefined> {
  const rules = sharedPath('sigmahq', 'rules', 'application', 'kubernetes', 'audit');
  const samples = sharedPath('k8s-audit-samples', 'falco');
  if (rules === undefined || samples === undefined) return undefined;
  const { ruleSet } = await loadRuleSet([rules]);
  const byFile = new Map<string, string[]>();
  for (const file of readdirSync(samples)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const event = JSON.parse(readFileSync(join(samples, file), 'utf8')) as Record<string, unknown>;
    const { findings } = processBatch([{ body: { records: [aksRecord(event)] }, origin: { file } }], {
      ruleSet,
      clock: FIXED_CLOCK,
      detectorVersion: 'test',
    });
    byFile.set(
      file,
      findings.map((f) => f.RuleId),
    );
  }
  return byFile;
}

describe('SigmaHQ kubernetes/audit rules on real audit events', () => {
  it('fires the hostPath rule on hostPath pods and not on the others', async (ctx) => {
    const byFile = await sigmaHqFindings();
    if (byFile === undefined) return ctx.skip(SHARED_MISSING);
    const hostPath = [...byFile].filter(([, ids]) => ids.includes(HOSTPATH_RULE)).map(([file]) => file);
    expect(hostPath).toEqual([
      'k8s_audit__create_nginx_pod_sensitive_mount.json',
      'k8s_audit__create_nginx_pod_sensitive_mount_2nd_container.json',
      'psp__mount_etc_using_host_path.json',
    ]);
    for (const negative of [
      'k8s_audit__create_nginx_pod_unprivileged.json',
      'k8s_audit__create_nginx_pod_nohostnetwork.json',
    ]) {
      expect(byFile.get(negative)).not.toContain(HOSTPATH_RULE);
      expect(byFile.get(negative)).not.toContain(PRIVILEGED_RULE);
    }
  });

  it('fires the privileged-pod rule on privileged and added-capability pods', async (ctx) => {
    const byFile = await sigmaHqFindings();
    if (byFile === undefined) return ctx.skip(SHARED_MISSING);
    const privileged = [...byFile].filter(([, ids]) => ids.includes(PRIVILEGED_RULE)).map(([file]) => file);
    expect(privileged).toEqual([
      'k8s_audit__create_nginx_pod_no_secctx_1st_container_privileged_2nd_container.json',
      'k8s_audit__create_nginx_pod_privileged.json',
      'k8s_audit__create_nginx_pod_privileged_2nd_container.json',
      'psp__capability_add_sys_time.json',
    ]);
  });

  it('says the body was not available when another rule matches a Metadata-level write', async (ctx) => {
    const rules = sharedPath('sigmahq', 'rules', 'application', 'kubernetes', 'audit');
    if (rules === undefined) return ctx.skip(SHARED_MISSING);
    const { ruleSet } = await loadRuleSet([rules]);
    const { findings } = processBatch(
      [
        {
          body: {
            records: [
              aksRecord(auditEvent({ level: 'Metadata' })),
              aksRecord(auditEvent({ requestObject: 'skipped-too-big-size-object' })),
            ],
          },
          origin: {},
        },
      ],
      { ruleSet, clock: FIXED_CLOCK, detectorVersion: 'test' },
    );
    const cronjobFindings = findings.filter((f) => f.RuleId === CRONJOB_MODIFICATION_RULE);
    expect(cronjobFindings.map((f) => f.Indicators['requestBody'])).toEqual(['not-logged', 'too-big']);
  });
});
