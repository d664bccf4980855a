import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/sigma/diagnostics.js';
import { buildRuleSet } from '../../src/rules/rule-set.js';
import { loadRuleFiles } from '../../src/rules/load-rules.js';
import { lintYaml, ruleYaml } from '../helpers/rules.js';
import { SHARED_MISSING, sharedPath } from '../helpers/shared.js';

const AUDIT = 'product: kubernetes\n    service: audit';
const lintAudit = (detection: string) => lintYaml(ruleYaml(detection, AUDIT));

describe('rules lint and the field catalogue', () => {
  it('warns on a field the source never has, names the likely one, and loads the rule', () => {
    const report = lintAudit(
      'sel:\n  verb: create\n  objectRef.resouce: cronjobs\n  apiGroup: batch\ncondition: sel',
    );
    expect(report.status).toBe('active');
    expect(report.diagnostics.map((d) => [d.code, d.severity, d.location.yamlPath, d.location.line])).toEqual(
      [
        ['unknown-field', 'warning', 'detection.sel.objectRef.resouce', 10],
        ['unknown-field', 'warning', 'detection.sel.apiGroup', 11],
      ],
    );
    expect(report.diagnostics[0]?.message).toBe(
      'kube-audit records have no field "objectRef.resouce" (kube-job-detector rules fields lists them), so this never matches',
    );
    expect(report.diagnostics[1]?.message).toMatch(
      /no field "apiGroup"; did you mean "objectRef\.apiGroup"\?/,
    );
  });

  it('checks the field a fieldref value names, too', () => {
    const report = lintAudit('sel:\n  user.username|fieldref: impersonatedUser.usrname\ncondition: sel');
    expect(report.diagnostics.map((d) => [d.code, d.location.yamlPath])).toEqual([
      ['unknown-field', 'detection.sel.user.username|fieldref[0]'],
    ]);
    expect(report.diagnostics[0]?.message).toMatch(/no field "impersonatedUser\.usrname"/);
    const valid = lintAudit('sel:\n  user.username|fieldref: impersonatedUser.username\ncondition: sel');
    expect(valid.diagnostics).toEqual([]);
  });

  it('accepts dotted keys, array paths and any child of a free-form object', () => {
    const report = lintAudit(
      [
        'sel:',
        '  annotations.authorization.k8s.io/decision: allow',
        '  requestObject.spec.jobTemplate.spec.template.spec.containers.image|contains: alpine',
        "  user.groups: 'system:masters'",
        '  user.extra.authentication.kubernetes.io/pod-name|exists: true',
        '  hostPath|startswith: /proc',
        'condition: sel',
      ].join('\n'),
    );
    expect(report.diagnostics).toEqual([]);
  });

  it('warns on text matched against a field that holds an object, whatever the modifier', () => {
    const report = lintAudit(
      [
        'sel_a:',
        '  requestObject|contains: hostPath',
        'sel_b:',
        "  objectRef|re: 'cron'",
        'sel_c:',
        '  annotations: allow',
        'sel_d:',
        '  requestObject|exists: true',
        'sel_e:',
        '  responseObject: null',
        'condition: 1 of sel_*',
      ].join('\n'),
    );
    expect(report.status).toBe('active');
    expect(report.diagnostics.map((d) => [d.code, d.location.yamlPath])).toEqual([
      ['object-field', 'detection.sel_a.requestObject|contains'],
      ['object-field', 'detection.sel_b.objectRef|re'],
      ['object-field', 'detection.sel_c.annotations'],
    ]);
    expect(report.diagnostics[0]?.message).toBe(
      '"requestObject" holds an object, and "contains" compares text, numbers or booleans, so this never matches; name a field inside it ("requestObject.…") or use "|exists"',
    );
    expect(report.diagnostics[2]?.message).toMatch(/and a plain value compares/);
  });

  it('names the modifiers that compare text, leaving out those that only say how', () => {
    const report = lintAudit(
      [
        'sel_a:',
        '  requestObject|contains|all|cased:',
        '    - hostPath',
        '    - privileged',
        'sel_b:',
        '  requestObject|contains|windash: -enc',
        'sel_c:',
        '  requestObject|cased: hostPath',
        'condition: 1 of sel_*',
      ].join('\n'),
    );
    expect(report.diagnostics.map((d) => /and (.+) compares/.exec(d.message)?.[1])).toEqual([
      '"contains"',
      '"contains|windash"',
      'a plain value',
    ]);
  });

  it('warns on an object field matched against a list holding null and text', () => {
    const report = lintAudit('sel:\n  requestObject:\n    - null\n    - hostPath\ncondition: sel');
    expect(report.diagnostics.map((d) => [d.code, d.location.yamlPath])).toEqual([
      ['object-field', 'detection.sel.requestObject'],
    ]);
  });

  it('checks no field for keywords, which search the whole record', () => {
    const report = lintAudit("keywords:\n  - 'mkfifo'\n  - 'socat'\ncondition: keywords");
    expect([report.status, report.diagnostics]).toEqual(['active', []]);
  });

  it('checks Activity Log rules against the Activity Log, and leaves rules of other sources alone', () => {
    const activity = lintYaml(
      ruleYaml(
        'sel:\n  OperationNameValue|endswith: /WRITE\n  Caller: x\n  operationname: y\ncondition: sel',
      ),
    );
    expect(activity.diagnostics.map((d) => d.message)).toEqual([
      'Activity Log records have no field "operationname"; did you mean "operationName"? (kube-job-detector rules fields lists them), so this never matches',
    ]);
    const windows = lintYaml(
      ruleYaml(
        'sel:\n  Image|endswith: cmd.exe\ncondition: sel',
        'product: windows\n    category: process_creation',
      ),
    );
    expect(windows.status).toBe('inactive');
    expect(windows.diagnostics).toEqual([]);
  });

  it('gives the bundled rules no warning, and the 52 SigmaHQ rules only the two real ones', async (ctx) => {
    const bundled = buildRuleSet(await loadRuleFiles(['rules']));
    expect(bundled.files.flatMap((f) => f.diagnostics)).toEqual([]);
    const dir = sharedPath('sigmahq');
    if (dir === undefined) return ctx.skip(SHARED_MISSING);
    const { files } = buildRuleSet(await loadRuleFiles([dir]));
    expect(files).toHaveLength(52);
    const fieldWarnings = files
      .flatMap((f) => f.diagnostics)
      .filter((d) => d.code === 'unknown-field' || d.code === 'object-field')
      .map((d) => formatDiagnostic(d).replace(/^.*\/(?=[^/]+\.yml:)/, ''));
    // Both name `apiGroup`, which an audit Event has only as objectRef.apiGroup: upstream they never match.
    expect(fieldWarnings).toEqual([
      expect.stringMatching(
        /^kubernetes_audit_rbac_permisions_listing\.yml:24:9: warning: detection\.selection\.apiGroup: kube-audit records have no field "apiGroup"; did you mean "objectRef\.apiGroup"\?/,
      ),
      expect.stringMatching(
        /^kubernetes_audit_sidecar_injection\.yml:24:9: warning: detection\.selection\.apiGroup: .* "objectRef\.apiGroup"/,
      ),
    ]);
  });
});
