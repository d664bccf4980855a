import { describe, expect, it } from 'vitest';
import { FieldRule } from '../../src/prefilter/field-rule.js';
import type { FieldToken } from '../../src/prefilter/field-scan.js';
import { sourceById } from '../../src/sources/sources.js';
import { parseYamlRule, ruleYaml } from '../helpers/rules.js';
import { KUBE_AUDIT } from './verdicts.js';

/**
 * A rule as the field scan evaluates it: an item on a scanned field is decided by the values found
 * (or the field's absence), every other item may come out either way.
 */

const audit = sourceById('KubeAudit');
if (audit?.prefilter.embedded === undefined) throw new Error('the kube-audit source embeds its events');
const FIELDS = audit.prefilter.embedded.scanFields;
const isRawField = audit.prefilter.isRawField;
const field = (name: string): number => FIELDS.findIndex((f) => f.name === name);
const RESOURCE = field('objectRef.resource');
const VERB = field('verb');
const SUBRESOURCE = field('objectRef.subresource');
const USERNAME = field('user.username');

function fieldRule(detection: string): FieldRule {
  return new FieldRule(parseYamlRule(ruleYaml(detection, KUBE_AUDIT)), FIELDS, isRawField);
}

const token = (f: number, value: string | undefined, at = 0): FieldToken => ({ field: f, at, value });

const SECRET_DELETE =
  "sel:\n    verb: delete\n    objectRef.resource: secrets\nsystem:\n    user.username|startswith: 'system:'\ncondition: sel and not system";

describe('the fields a rule needs', () => {
  it('needs the fields of items that must hold, not those of items that must not', () => {
    const rule = fieldRule(SECRET_DELETE);
    expect([RESOURCE, VERB, SUBRESOURCE, USERNAME].map((f) => rule.needs(f))).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it('needs neither side of an `or`', () => {
    const rule = fieldRule('a:\n    verb: bind\nb:\n    objectRef.resource: tokenreviews\ncondition: a or b');
    expect([rule.needs(VERB), rule.needs(RESOURCE)]).toEqual([false, false]);
  });

  it('needs a field whose item holds when it is missing only if the rest needs it', () => {
    // `objectRef.subresource: null` holds when the event has no subresource.
    const rule = fieldRule('sel:\n    verb: get\n    objectRef.subresource: null\ncondition: sel');
    expect([rule.needs(VERB), rule.needs(SUBRESOURCE)]).toEqual([true, false]);
  });

  it('counts the items on each field, under `not` too', () => {
    const rule = fieldRule(
      "a:\n    objectRef.resource: pods\nb:\n    objectRef.resource|startswith: 'job'\nsystem:\n    user.username|startswith: 'system:'\ncondition: (a or b) and not system",
    );
    expect([RESOURCE, VERB, SUBRESOURCE, USERNAME].map((f) => rule.itemsOn(f))).toEqual([2, 0, 0, 1]);
  });

  it('decides by the scan only a rule that cannot match with every scanned field missing', () => {
    expect(fieldRule(SECRET_DELETE).decidesByScan).toBe(true);
    expect(fieldRule("sel:\n    objectRef.namespace: 'kube-system'\ncondition: sel").decidesByScan).toBe(
      false,
    );
    expect(fieldRule('filter:\n    verb: get\ncondition: not filter').decidesByScan).toBe(false);
    expect(
      fieldRule('a:\n    verb: bind\nb:\n    objectRef.namespace: x\ncondition: a or b').decidesByScan,
    ).toBe(false);
  });
});

describe('the literals one of which every value of a needed field holds (anchors)', () => {
  it('are the values of its items, each folded and the longer ones that hold a shorter one dropped', () => {
    expect(fieldRule(SECRET_DELETE).anchorsOn(RESOURCE)).toEqual(['secrets']);
    const jobs = fieldRule(
      'sel:\n    verb: create\n    objectRef.resource:\n        - CronJobs\n        - jobs\ncondition: sel',
    );
    expect(jobs.anchorsOn(RESOURCE)).toEqual(['jobs']);
  });

  it('gather every item on the field, those under `not` too, each once', () => {
    const rule = fieldRule(
      'sel:\n    objectRef.resource:\n        - secrets\n        - configmaps\nfilter:\n    objectRef.resource: secrets\n    verb: get\ncondition: sel and not filter',
    );
    expect([...(rule.anchorsOn(RESOURCE) ?? [])].sort()).toEqual(['configmaps', 'secrets']);
  });

  it('are none for a field the rule does not read or does not need', () => {
    const rule = fieldRule(SECRET_DELETE);
    expect(rule.anchorsOn(SUBRESOURCE)).toBeUndefined();
    // The username is read, but matching needs no value of it.
    expect(rule.anchorsOn(USERNAME)).toBeUndefined();
  });

  it('are none when an item on the field has no literal: a pattern, or a value too short', () => {
    expect(
      fieldRule("sel:\n    objectRef.resource|re: '^secrets?$'\ncondition: sel").anchorsOn(RESOURCE),
    ).toBeUndefined();
    expect(
      fieldRule(
        'sel:\n    objectRef.resource: secrets\nb:\n    objectRef.resource: pv\ncondition: sel or b',
      ).anchorsOn(RESOURCE),
    ).toBeUndefined();
  });

  it('are none when the rule can match though every item on the field is false', () => {
    // `not pods` holds for any other resource.
    const rule = fieldRule(
      'sel:\n    verb: delete\npods:\n    objectRef.resource: pods\ncondition: sel and not pods',
    );
    expect(rule.anchorsOn(RESOURCE)).toBeUndefined();
  });
});

describe('deciding a region from the values found in it', () => {
  const rule = fieldRule(SECRET_DELETE);

  it('lets through the values that satisfy the rule, and rules out others', () => {
    expect(rule.mayMatchTokens([token(VERB, 'delete'), token(RESOURCE, 'secrets')])).toBe(true);
    expect(rule.mayMatchTokens([token(VERB, 'get'), token(RESOURCE, 'secrets')])).toBe(false);
    expect(rule.mayMatchTokens([token(VERB, 'delete'), token(RESOURCE, 'pods')])).toBe(false);
    // A field not found is missing, and the rule needs it.
    expect(rule.mayMatchTokens([token(VERB, 'delete')])).toBe(false);
  });

  it('reads every part of a condition whose first parts leave the answer open', () => {
    // The first `and` part may go either way, the last rules the region out; the first `or`
    // branch can only be false, the last can be true.
    const and = fieldRule(
      'sel:\n    verb: delete\nsecrets:\n    objectRef.resource: secrets\ncondition: sel and secrets',
    );
    expect(and.mayMatchTokens([token(VERB, undefined), token(RESOURCE, 'pods')])).toBe(false);
    expect(and.mayMatchTokens([token(VERB, 'delete'), token(RESOURCE, 'secrets')])).toBe(true);
    const or = fieldRule(
      'a:\n    verb: delete\nb:\n    objectRef.resource: secrets\ncondition: (a or b) and not a',
    );
    const verbPlaced = (f: number): boolean => f === VERB;
    expect(or.mayMatchTokens([token(VERB, 'get'), token(RESOURCE, 'secrets')], undefined, verbPlaced)).toBe(
      true,
    );
    expect(
      or.mayMatchTokens([token(VERB, 'delete'), token(RESOURCE, 'secrets')], undefined, verbPlaced),
    ).toBe(false);
  });

  it('rules out an `or` none of whose parts can hold, and a negated one that holds for certain', () => {
    const placed = (f: number): boolean => f === VERB || f === RESOURCE;
    const either = fieldRule('a:\n    verb: delete\nb:\n    objectRef.resource: secrets\ncondition: a or b');
    expect(either.mayMatchTokens([token(VERB, 'get'), token(RESOURCE, 'pods')], undefined, placed)).toBe(
      false,
    );
    expect(either.mayMatchTokens([token(VERB, 'get'), token(RESOURCE, 'secrets')], undefined, placed)).toBe(
      true,
    );
    // The first part may go either way; the second holds for certain, so the `or` cannot be false.
    const neither = fieldRule(
      'a:\n    verb: delete\nb:\n    objectRef.resource: secrets\ncondition: not (a or b)',
    );
    const resourcePlaced = (f: number): boolean => f === RESOURCE;
    expect(
      neither.mayMatchTokens([token(VERB, undefined), token(RESOURCE, 'secrets')], undefined, resourcePlaced),
    ).toBe(false);
    expect(
      neither.mayMatchTokens([token(VERB, undefined), token(RESOURCE, 'pods')], undefined, resourcePlaced),
    ).toBe(true);
  });

  it('takes a value it could not read as any value', () => {
    expect(rule.mayMatchTokens([token(VERB, undefined), token(RESOURCE, 'secrets')])).toBe(true);
    expect(
      rule.mayMatchTokens([token(VERB, 'get'), token(VERB, undefined), token(RESOURCE, 'secrets')]),
    ).toBe(true);
  });

  it('takes several values of a field as several events, any of which may match', () => {
    expect(rule.mayMatchTokens([token(VERB, 'get'), token(VERB, 'delete'), token(RESOURCE, 'secrets')])).toBe(
      true,
    );
  });

  it('takes a system caller as possibly absent, unless it is known to be the one', () => {
    const tokens = [token(VERB, 'delete'), token(RESOURCE, 'secrets'), token(USERNAME, 'system:node:n1')];
    expect(rule.mayMatchTokens(tokens)).toBe(true);
    expect(rule.mayMatchTokens(tokens, undefined, (f) => f === USERNAME)).toBe(false);
    // A user known to be the caller lets it through.
    const user = [token(VERB, 'delete'), token(RESOURCE, 'secrets'), token(USERNAME, 'mallory')];
    expect(rule.mayMatchTokens(user, undefined, (f) => f === USERNAME)).toBe(true);
    // A field known to hold its value is not missing either.
    const placed = (f: number) => f === RESOURCE || f === VERB;
    expect(rule.mayMatchTokens([token(VERB, 'delete'), token(RESOURCE, 'secrets')], undefined, placed)).toBe(
      true,
    );
  });

  it('leaves the fields not searched open', () => {
    // Only the resource was searched: the verb may be anything.
    expect(rule.mayMatchTokens([token(RESOURCE, 'secrets')], RESOURCE)).toBe(true);
    expect(rule.mayMatchTokens([token(RESOURCE, 'pods')], RESOURCE)).toBe(false);
    expect(rule.mayMatchTokens([], RESOURCE)).toBe(false);
    expect(rule.mayMatchTokens([token(RESOURCE, 'secrets')], (f) => f === RESOURCE)).toBe(true);
    expect(rule.mayMatchTokens([token(RESOURCE, 'secrets'), token(VERB, 'get')], (f) => f !== USERNAME)).toBe(
      false,
    );
    // A verb found but not searched for is not read.
    expect(rule.mayMatchTokens([token(RESOURCE, 'secrets'), token(VERB, 'get')], RESOURCE)).toBe(true);
  });

  it('rules out a caller excluded by either of two filters', () => {
    const two = fieldRule(
      "sel:\n    verb: delete\npods:\n    objectRef.resource: pods\nsystem:\n    user.username|startswith: 'system:'\ncondition: sel and not (pods or system)",
    );
    const placed = () => true;
    const at = (resource: string, username: string) => [
      token(VERB, 'delete'),
      token(RESOURCE, resource),
      token(USERNAME, username),
    ];
    expect(two.mayMatchTokens(at('pods', 'system:node:n1'), undefined, placed)).toBe(false);
    expect(two.mayMatchTokens(at('pods', 'mallory'), undefined, placed)).toBe(false);
    expect(two.mayMatchTokens(at('secrets', 'system:node:n1'), undefined, placed)).toBe(false);
    expect(two.mayMatchTokens(at('secrets', 'mallory'), undefined, placed)).toBe(true);
  });

  it('answers the same for a value however often it is asked, among many', () => {
    const many = Array.from({ length: 5000 }, (_, i) => token(RESOURCE, `crd${i}.example.com`));
    expect(rule.mayMatchTokens([token(VERB, 'delete'), ...many])).toBe(false);
    expect(rule.mayMatchTokens([token(VERB, 'delete'), ...many, token(RESOURCE, 'secrets')])).toBe(true);
    expect(rule.mayMatchTokens([token(VERB, 'delete'), token(RESOURCE, 'crd1.example.com')])).toBe(false);
  });
});

describe('deciding a parsed event', () => {
  it('decides the items on raw fields exactly', () => {
    const rule = fieldRule(SECRET_DELETE);
    const event = (verb: string, username: string) => ({
      verb,
      objectRef: { resource: 'secrets' },
      user: { username },
    });
    expect(rule.mayMatchEvent(event('delete', 'mallory'))).toBe(true);
    expect(rule.mayMatchEvent(event('delete', 'system:node:n1'))).toBe(false);
    expect(rule.mayMatchEvent(event('get', 'mallory'))).toBe(false);
  });

  it('leaves an item on a derived field, or one comparing two fields, open', () => {
    const image = fieldRule('sel:\n    verb: create\n    image|contains: alpine\ncondition: sel');
    expect(image.mayMatchEvent({ verb: 'create' })).toBe(true);
    expect(image.mayMatchEvent({ verb: 'get' })).toBe(false);
    const self = fieldRule(
      'sel:\n    verb: create\n    user.username|fieldref: impersonatedUser.username\ncondition: sel',
    );
    // Open: the event is then matched in full.
    expect(
      self.mayMatchEvent({ verb: 'create', user: { username: 'a' }, impersonatedUser: { username: 'b' } }),
    ).toBe(true);
    expect(
      self.mayMatchEvent({ verb: 'get', user: { username: 'a' }, impersonatedUser: { username: 'a' } }),
    ).toBe(false);
  });
});
