import { describe, expect, it } from 'vitest';
import { activityRecord } from '../helpers/detector.js';
import {
  ACTIVITY,
  activityBody,
  BATCH_WRITE,
  reportedProblems,
  RULED_OUT,
  ruleSetOf,
  verdict,
} from './verdicts.js';

/**
 * How the prefilter reads an Activity Log body before any parsing: the literals each rule needs,
 * the escapes and characters that could spell one, and the encodings it leaves to the parser.
 */

const WRITE = 'MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/CRONJOBS/WRITE';
const VM_WRITE = 'MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE';

describe('the literals an Activity Log rule needs', () => {
  const ruleSet = ruleSetOf(BATCH_WRITE);

  it('lets through the write the rule flags, on a managed or a connected cluster', () => {
    expect(ruleSet.prefilter.enabled).toBe(true);
    expect(verdict(ruleSet, activityBody(activityRecord(WRITE)))).toEqual({
      passes: true,
      findings: ['cronjob write'],
    });
    const arc = 'Microsoft.Kubernetes/connectedClusters/batch/jobs/write';
    expect(verdict(ruleSet, activityBody(activityRecord(VM_WRITE), activityRecord(arc)))).toEqual({
      passes: true,
      findings: ['cronjob write'],
    });
  });

  it.each([
    ['a virtual machine write', VM_WRITE],
    [
      'a read of the same CronJobs (no `write`)',
      'MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/CRONJOBS/READ',
    ],
    [
      'a write of the cluster itself (no `batch`, no `jobs`)',
      'MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/WRITE',
    ],
    [
      'a write of Deployments on the cluster (no `jobs`)',
      'MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/APPS/DEPLOYMENTS/WRITE',
    ],
  ])('rules out %s', (_, operation) => {
    const record = activityRecord(operation, { resultSignature: 'Succeeded.OK' });
    expect(verdict(ruleSet, activityBody(record))).toEqual(RULED_OUT);
  });

  it('is off when some rule needs no literal: every body is then parsed', () => {
    const open = ruleSetOf(BATCH_WRITE, {
      title: 'failed anything',
      detection: "sel:\n    resultType|re: '^Fail'\ncondition: sel",
      logsource: ACTIVITY,
    });
    expect(open.prefilter.enabled).toBe(false);
    expect(verdict(open, activityBody(activityRecord(VM_WRITE)))).toEqual({ passes: true, findings: [] });
    expect(open.prefilter.embeddedGate('AzureActivity')).toBeUndefined();
  });

  it('rules out a body that holds each rule only in part, when rules share no clause', () => {
    // Two rules with three clauses each: the body holds two clauses of each rule, never all three.
    const two = ruleSetOf(BATCH_WRITE, {
      title: 'key vault secret read',
      detection: "sel:\n    operationName: 'MICROSOFT.KEYVAULT/VAULTS/SECRETS/READ'\ncondition: sel",
      logsource: ACTIVITY,
    });
    const body = activityBody(
      activityRecord('MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/BATCH/CRONJOBS/READ'),
      activityRecord('MICROSOFT.KEYVAULT/VAULTS/KEYS/READ'),
    );
    expect(verdict(two, body)).toEqual(RULED_OUT);
    expect(verdict(two, activityBody(activityRecord('MICROSOFT.KEYVAULT/VAULTS/SECRETS/READ')))).toEqual({
      passes: true,
      findings: ['key vault secret read'],
    });
    expect(verdict(two, activityBody(activityRecord(WRITE)))).toEqual({
      passes: true,
      findings: ['cronjob write'],
    });
  });
});

describe('escapes and characters that could spell a literal', () => {
  const ruleSet = ruleSetOf(BATCH_WRITE);
  /** A body the rule rules out, with `escape` written into the caller's address (JSON text, not a value). */
  const withEscape = (escape: string) =>
    activityBody(activityRecord(VM_WRITE, { resultSignature: 'Succeeded.OK' })).replace(
      '"callerIpAddress":"198.51.100.23"',
      `"callerIpAddress":"198.51.100.23${escape}"`,
    );

  it.each([
    ['a letter', '\\u0041'],
    ['a space', '\\u0020'],
    ['a quote', '\\u0022'],
    ['DEL', '\\u007f'],
    ['the Kelvin sign, which folds into k', '\\u212a'],
    ['the Kelvin sign in capitals', '\\u212A'],
    ['U+0130, which folds into i', '\\u0130'],
  ])('parses a body with a `\\u` escape of %s: it may spell part of a literal', (_, escape) => {
    expect(verdict(ruleSet, withEscape(escape))).toEqual({ passes: true, findings: [] });
  });

  it.each([
    ['a line feed', '\\u000a'],
    ['the last control character', '\\u001f'],
    ['`<`, as Go escapes it', '\\u003c'],
    ['`>`', '\\u003e'],
    ['`&`', '\\u0026'],
    ['the first character outside ASCII', '\\u0080'],
    ['é', '\\u00e9'],
    ['é in capitals', '\\u00E9'],
    ['a plain backslash, no `\\u` escape', '\\\\'],
  ])('still rules out a body with an escape of %s: no literal holds it', (_, escape) => {
    expect(verdict(ruleSet, withEscape(escape))).toEqual(RULED_OUT);
  });

  it('reads every escape of a body: a harmless one first does not hide a later one', () => {
    expect(verdict(ruleSet, withEscape('\\u003c\\u000a\\u0041'))).toEqual({ passes: true, findings: [] });
  });

  it('finds an escape early in a body after one late in a longer body', () => {
    // The second body's escape stands before where the first body's was found.
    const late = activityBody(activityRecord(VM_WRITE), activityRecord(VM_WRITE), activityRecord(VM_WRITE));
    const lateEscape = late.replace(/"Administrative"\}\}\]\}$/, '"Administrativ\\u0045"}}]}');
    expect(lateEscape).not.toBe(late);
    expect(ruleSet.prefilter.mayMatchBody(lateEscape)).toBe(true);
    expect(ruleSet.prefilter.mayMatchBody(Buffer.from(lateEscape))).toBe(true);
    const early = `{"records":[{"operationName":"MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE\\u0041","category":"Administrative"}]}`;
    expect(early.indexOf('\\u')).toBeLessThan(lateEscape.indexOf('\\u'));
    expect(ruleSet.prefilter.mayMatchBody(early)).toBe(true);
    expect(ruleSet.prefilter.mayMatchBody(lateEscape)).toBe(true);
    expect(ruleSet.prefilter.mayMatchBody(Buffer.from(early))).toBe(true);
  });

  it('finds the write whose operation spells a letter as an escape', () => {
    const body = activityBody(activityRecord(WRITE)).replaceAll('CRONJOBS/WRITE', 'CRONJOBS/WRIT\\u0045');
    expect(verdict(ruleSet, body)).toEqual({ passes: true, findings: ['cronjob write'] });
  });
});

describe('characters outside ASCII that lower-case into a literal', () => {
  /** Writes into the CI resource group: its literal `rg-ci` ends in `i`, which U+0130 folds into. */
  const ciRuleSet = ruleSetOf({
    title: 'ci group write',
    detection:
      "sel:\n    resourceId|contains: '/RESOURCEGROUPS/RG-CI'\n    operationName|endswith: '/WRITE'\ncondition: sel",
    logsource: ACTIVITY,
  });
  const inGroup = (group: string) =>
    activityRecord(VM_WRITE, {
      resourceId: `/SUBSCRIPTIONS/3F2A9C10/RESOURCEGROUPS/${group}/PROVIDERS/MICROSOFT.COMPUTE/VIRTUALMACHINES/VM1`,
    });

  it('finds a write in a group whose name ends in U+0130, which matches as `i`', () => {
    expect(verdict(ciRuleSet, activityBody(inGroup('RG-C\u0130')))).toEqual({
      passes: true,
      findings: ['ci group write'],
    });
    expect(verdict(ciRuleSet, activityBody(inGroup('RG-CI')))).toEqual({
      passes: true,
      findings: ['ci group write'],
    });
  });

  it('rules out a write in another group', () => {
    expect(verdict(ciRuleSet, activityBody(inGroup('RG-PAY')))).toEqual(RULED_OUT);
  });

  it('does not take U+0130 for an `i` inside a literal', () => {
    // `microsoft.keyvault` has an `i` only inside it: U+0130 folds to `i` and a combining dot.
    const vault = ruleSetOf({
      title: 'vault write',
      detection: "sel:\n    operationName|startswith: 'MICROSOFT.KEYVAULT/'\ncondition: sel",
      logsource: ACTIVITY,
    });
    const body = activityBody(inGroup('\u0130ZM\u0130R'));
    expect(verdict(vault, body)).toEqual(RULED_OUT);
    // The Kelvin sign stands for the `k` of `keyvault`.
    const kelvin = activityBody(activityRecord('MICROSOFT.\u212aEYVAULT/VAULTS/WRITE'));
    expect(verdict(vault, kelvin)).toEqual({ passes: true, findings: ['vault write'] });
  });

  it('lets through a Kelvin sign wherever it stands in a literal: first, inside or last', () => {
    const ruleSet = ruleSetOf({
      title: 'kube write',
      detection: "sel:\n    operationName|contains: 'KUBERNETES/CONNECTEDCLUSTERS/KUBE'\ncondition: sel",
      logsource: ACTIVITY,
    });
    for (const operation of [
      'MICROSOFT.\u212aUBERNETES/CONNECTEDCLUSTERS/KUBE/WRITE',
      'MICROSOFT.KUBERNETES/CONNECTEDCLUSTERS/\u212aUBE/WRITE',
    ])
      expect(verdict(ruleSet, activityBody(activityRecord(operation))), operation).toEqual({
        passes: true,
        findings: ['kube write'],
      });
    const ending = ruleSetOf({
      title: 'kube write',
      detection: "sel:\n    operationName|contains: 'MICROSOFT.STACK'\ncondition: sel",
      logsource: ACTIVITY,
    });
    expect(verdict(ending, activityBody(activityRecord('MICROSOFT.STAC\u212a/WRITE')))).toEqual({
      passes: true,
      findings: ['kube write'],
    });
  });
});

describe('bodies the prefilter leaves to the parser', () => {
  const ruleSet = ruleSetOf(BATCH_WRITE);
  const text = activityBody(activityRecord(WRITE));

  it.each([
    ['UTF-16LE with a byte-order mark', Buffer.from(`\ufeff${text}`, 'utf16le')],
    ['UTF-16LE without one', Buffer.from(text, 'utf16le')],
    ['UTF-16BE with a byte-order mark', Buffer.from(`\ufeff${text}`, 'utf16le').swap16()],
    ['UTF-16BE without one', Buffer.from(text, 'utf16le').swap16()],
    ['a UTF-16 byte-order mark alone', Buffer.from([0xff, 0xfe])],
  ])('reports %s as a body it cannot read, not skipping it', (_, body) => {
    expect(ruleSet.prefilter.mayMatchBody(body)).toBe(true);
    const problems = reportedProblems(ruleSet, body);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^not JSON|^empty body/);
  });

  it('scans a UTF-8 body with a byte-order mark like any other', () => {
    const vm = Buffer.from(`\ufeff${activityBody(activityRecord(VM_WRITE))}`);
    expect(ruleSet.prefilter.mayMatchBody(vm)).toBe(false);
    expect(ruleSet.prefilter.mayMatchBody(Buffer.from(`\ufeff${text}`))).toBe(true);
  });

  it('reads a view into a larger buffer as the bytes it spans', () => {
    const whole = Buffer.from(`${activityBody(activityRecord(VM_WRITE))}${text}`);
    const vmOnly = new Uint8Array(whole.buffer, whole.byteOffset, whole.length - text.length);
    expect(ruleSet.prefilter.mayMatchBody(vmOnly)).toBe(false);
    const writeOnly = new Uint8Array(
      whole.buffer,
      whole.byteOffset + whole.length - text.length,
      text.length,
    );
    expect(ruleSet.prefilter.mayMatchBody(writeOnly)).toBe(true);
  });
});
