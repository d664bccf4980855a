import { describe, expect, it } from 'vitest';
import type { InputBody } from '../../src/pipeline/detector.js';
import { loadRuleFiles } from '../../src/rules/load-rules.js';
import { buildRuleSet, type RuleSet } from '../../src/rules/rule-set.js';
import { aksRecord, auditEvent, cronJobBody, podSpec } from '../helpers/audit.js';
import { bundledRuleSet, FIXED_CLOCK, processBatch } from '../helpers/detector.js';
import { ruleYaml } from '../helpers/rules.js';
import { REPO_ROOT } from '../helpers/shared.js';

/**
 * Bodies an adversary who writes the records could craft so that a CronJob write the bundled rule
 * flags hides from the prefilter. Each must give the same findings with the prefilter on and off,
 * and each does find the write (so the prefilter skipping it would fail the test).
 */

const SYSTEM = 'system:serviceaccount:kube-system:cronjob-controller';

/** A CronJob with an `alpine` image created by `username`: the bundled audit rule flags it unless the caller is a system principal. */
function attackEvent(username = 'mallory@contoso.example'): Record<string, unknown> {
  return auditEvent({
    username,
    requestObject: cronJobBody(podSpec({ image: 'alpine:3.20', command: ['sleep', '3600'] })),
  });
}

/** Without the `user` key: no caller, so the system-principal exclusion cannot hold. */
function userlessEvent(): Record<string, unknown> {
  const { user: _user, ...event } = attackEvent();
  return event;
}

function findings(ruleSet: RuleSet, body: string): { on: number; off: number } {
  const input: InputBody = { body: Buffer.from(body), origin: { event: 0 } };
  const deps = { ruleSet, clock: FIXED_CLOCK, detectorVersion: 'test' };
  return {
    on: processBatch([input], deps).findings.length,
    off: processBatch([input], { ...deps, prefilter: false }).findings.length,
  };
}

function replaceOnce(text: string, from: string, to: string): string {
  expect(text).toContain(from);
  return text.replace(from, to);
}

describe('an adversary cannot hide a flagged write from the prefilter', () => {
  it('finds a value of the field one level down that is spaced from its key (`properties` a JSON string)', async () => {
    // A forwarder serialised `properties`, so the event's quotes carry three backslashes; the
    // resource value after `: ` is no plain value of the enclosing `log` key.
    const record = aksRecord(attackEvent());
    const properties = replaceOnce(
      JSON.stringify(record['properties']),
      '\\"resource\\":\\"cronjobs',
      '\\"resource\\": \\"cronjobs',
    );
    const body = JSON.stringify({ records: [{ ...record, properties }] });
    expect(findings(await bundledRuleSet(), body)).toEqual({ on: 1, off: 1 });
  });

  it('finds the caller of a second `user` key spelled with a space before its colon', async () => {
    // JSON.parse keeps the last `user`, which names no system principal: the first is a decoy.
    const log = replaceOnce(
      JSON.stringify(attackEvent(SYSTEM)),
      '"sourceIPs"',
      '"user" :{"uid":"u-2","groups":["system:authenticated"]},"sourceIPs"',
    );
    const record = aksRecord({});
    const body = JSON.stringify({
      records: [{ ...record, properties: { log: `${log}\n`, stream: 'stdout' } }],
    });
    expect(findings(await bundledRuleSet(), body)).toEqual({ on: 1, off: 1 });
  });

  it('finds the event of a later `log` key spelled `"log" : "…"` in the same properties', async () => {
    // The first `log` is a system principal's; the parse keeps the second, which has no caller.
    const decoy = `${JSON.stringify(attackEvent(SYSTEM))}\n`;
    const body = replaceOnce(
      JSON.stringify({ records: [{ ...aksRecord({}), properties: { log: decoy, stream: 'stdout' } }] }),
      '"stream":"stdout"',
      `"log" : ${JSON.stringify(`${JSON.stringify(userlessEvent())}\n`)}`,
    );
    expect(findings(await bundledRuleSet(), body)).toEqual({ on: 1, off: 1 });
  });

  it('finds another record\'s event written `"log": "…"` (as Python\'s json.dumps spaces it) after a system principal\'s', async () => {
    const system = aksRecord(attackEvent(SYSTEM));
    const spaced = JSON.stringify(aksRecord(userlessEvent())).replace('"log":"', '"log": "');
    const body = `{"records":[${JSON.stringify(system)},${spaced}]}`;
    expect(findings(await bundledRuleSet(), body)).toEqual({ on: 1, off: 1 });
  });

  it('finds the write after many records that lack a scanned field (its search is remembered, not skipped)', async () => {
    // Each verbless record is ruled out; the one search for `verb` they share finds the attack's.
    const verbless = Array.from({ length: 200 }, () => {
      const { verb: _verb, ...event } = auditEvent({ resource: 'jobs' });
      return aksRecord(event);
    });
    const body = JSON.stringify({ records: [...verbless, aksRecord(attackEvent())] });
    expect(findings(await bundledRuleSet(), body)).toEqual({ on: 1, off: 1 });
  });

  it('finds a list element that ends in a backslash, followed by a string that starts with a colon', async () => {
    // A rule that reads the field by prefix: `jobs\` is a value it matches. The string after the
    // literal closes after a backslash; the next string's `":` is no key's end.
    const rule = {
      path: 'test/prefix-resource.yml',
      text: ruleYaml(
        `sel:\n    objectRef.resource|startswith: 'jobs'\n    verb: create\ncondition: sel`,
        'product: kubernetes\n    service: audit',
      ),
    };
    const ruleSet = buildRuleSet([...(await loadRuleFiles([`${REPO_ROOT}/rules`])), rule]).ruleSet;
    expect(ruleSet.prefilter.enabled).toBe(true);
    const event = { ...attackEvent(SYSTEM), objectRef: { resource: ['pods', 'jobs\\', ':x'] } };
    // In the embedded string (a level-1 closer after content backslashes) and in a `log` object.
    expect(findings(ruleSet, JSON.stringify({ records: [aksRecord(event)] }))).toEqual({ on: 1, off: 1 });
    expect(findings(ruleSet, JSON.stringify({ records: [aksRecord(event, { parsed: true })] }))).toEqual({
      on: 1,
      off: 1,
    });
  });
});
