import { describe, expect, it } from 'vitest';
import { auditEvent, cronJobBody, jobBody, podSpec } from '../helpers/audit.js';
import {
  aksBody,
  ANONYMOUS,
  CRONJOB_CREATE,
  KUBE_AUDIT,
  RULED_OUT,
  ruleSetOf,
  verdict,
  type TestRule,
} from './verdicts.js';

/**
 * How the field scan decides AKS kube-audit bodies from the values of `verb`,
 * `objectRef.resource`, `objectRef.subresource` and `user.username` it reads in the escaped event
 * text: it may rule a body out only when no rule's condition can hold on any of its events.
 */

const rule = (title: string, detection: string): TestRule => ({ title, detection, logsource: KUBE_AUDIT });

const SECRET_DELETE = rule(
  'secret deleted',
  "sel:\n    verb: delete\n    objectRef.resource: secrets\nsystem:\n    user.username|startswith: 'system:'\ncondition: sel and not system",
);

/** What a cluster writes all day, none of which the rules above flag. */
const routine = [
  auditEvent({
    verb: 'update',
    resource: 'jobs',
    subresource: 'status',
    username: 'system:serviceaccount:kube-system:job-controller',
    requestObject: jobBody(podSpec({ image: 'busybox' })),
  }),
  auditEvent({ verb: 'update', resource: 'leases', username: 'system:node:aks-nodepool1-0' }),
  auditEvent({ verb: 'get', resource: 'secrets', username: 'mallory@contoso.example' }),
  auditEvent({
    verb: 'list',
    resource: 'cronjobs',
    username: 'system:serviceaccount:kube-system:cronjob-controller',
  }),
];

describe('a rule of several items on scanned fields', () => {
  const ruleSet = ruleSetOf(SECRET_DELETE);

  it('finds the deletion of a secret by a user', () => {
    const deletion = auditEvent({ verb: 'delete', resource: 'secrets', code: 200 });
    expect(verdict(ruleSet, aksBody(...routine, deletion))).toEqual({
      passes: true,
      findings: ['secret deleted'],
    });
  });

  it.each([
    ['a read of the secret', auditEvent({ verb: 'get', resource: 'secrets' })],
    ['the deletion of a config map', auditEvent({ verb: 'delete', resource: 'configmaps' })],
    [
      'the deletion of a secret by the namespace controller',
      auditEvent({
        verb: 'delete',
        resource: 'secrets',
        username: 'system:serviceaccount:kube-system:namespace-controller',
      }),
    ],
    [
      'the deletion of a secret by a node',
      auditEvent({ verb: 'delete', resource: 'secrets', username: 'system:node:aks-nodepool1-0' }),
    ],
  ])('rules out %s among routine writes', (_, event) => {
    expect(verdict(ruleSet, aksBody(...routine, event))).toEqual(RULED_OUT);
  });
});

describe('conditions over several selections', () => {
  const verbAndResource = 'sel_verb:\n    verb: delete\nsel_resource:\n    objectRef.resource: secrets\n';

  it('`all of`: every selection must hold on the one event', () => {
    const ruleSet = ruleSetOf(rule('all of', `${verbAndResource}condition: all of sel_*`));
    expect(verdict(ruleSet, aksBody(auditEvent({ verb: 'delete', resource: 'configmaps' })))).toEqual(
      RULED_OUT,
    );
    expect(verdict(ruleSet, aksBody(auditEvent({ verb: 'get', resource: 'secrets' })))).toEqual(RULED_OUT);
    expect(verdict(ruleSet, aksBody(auditEvent({ verb: 'delete', resource: 'secrets' })))).toEqual({
      passes: true,
      findings: ['all of'],
    });
  });

  it('`1 of`: any selection will do', () => {
    const ruleSet = ruleSetOf(rule('one of', `${verbAndResource}condition: 1 of sel_*`));
    expect(verdict(ruleSet, aksBody(auditEvent({ verb: 'get', resource: 'secrets' })))).toEqual({
      passes: true,
      findings: ['one of'],
    });
    expect(verdict(ruleSet, aksBody(auditEvent({ verb: 'delete', resource: 'configmaps' })))).toEqual({
      passes: true,
      findings: ['one of'],
    });
    expect(verdict(ruleSet, aksBody(auditEvent({ verb: 'update', resource: 'leases' })))).toEqual(RULED_OUT);
  });

  it('`or` of two selections, and a selection that is a list of alternatives', () => {
    const ruleSet = ruleSetOf(
      rule(
        'escalation',
        'bind:\n    verb: bind\nimpersonate:\n    - verb: impersonate\n    - objectRef.resource: tokenreviews\ncondition: bind or impersonate',
      ),
    );
    for (const [verb, resource] of [
      ['bind', 'clusterroles'],
      ['impersonate', 'users'],
      ['create', 'tokenreviews'],
    ] as const)
      expect(verdict(ruleSet, aksBody(auditEvent({ verb, resource }))), verb).toEqual({
        passes: true,
        findings: ['escalation'],
      });
    expect(verdict(ruleSet, aksBody(...routine))).toEqual(RULED_OUT);
  });

  it('`1 of` among selections some of which are not named by the pattern', () => {
    // `filter` is no `sel_*`: `1 of sel_*` does not read it.
    const ruleSet = ruleSetOf(
      rule(
        'one of named',
        'sel_a:\n    verb: escalate\nfilter:\n    verb: get\ncondition: 1 of sel_* and not filter',
      ),
    );
    expect(verdict(ruleSet, aksBody(auditEvent({ verb: 'escalate', resource: 'clusterroles' })))).toEqual({
      passes: true,
      findings: ['one of named'],
    });
    expect(verdict(ruleSet, aksBody(auditEvent({ verb: 'get', resource: 'clusterroles' })))).toEqual(
      RULED_OUT,
    );
  });
});

describe('a field the event does not carry', () => {
  /** Reads of pods, but not of their logs: `objectRef.subresource` is absent from a plain read. */
  const ruleSet = ruleSetOf(
    rule(
      'pod read',
      'sel:\n    verb: get\n    objectRef.resource: pods\nlogs:\n    objectRef.subresource: log\ncondition: sel and not logs',
    ),
  );

  it('finds a read of a pod, which has no subresource', () => {
    expect(verdict(ruleSet, aksBody(auditEvent({ verb: 'get', resource: 'pods' })))).toEqual({
      passes: true,
      findings: ['pod read'],
    });
  });

  it('finds a read of another subresource', () => {
    expect(
      verdict(ruleSet, aksBody(auditEvent({ verb: 'get', resource: 'pods', subresource: 'status' }))),
    ).toEqual({
      passes: true,
      findings: ['pod read'],
    });
  });

  it('rules out a read of its logs', () => {
    expect(
      verdict(ruleSet, aksBody(auditEvent({ verb: 'get', resource: 'pods', subresource: 'log' }))),
    ).toEqual(RULED_OUT);
  });
});

describe('an item that compares two fields (`fieldref`)', () => {
  /** A user impersonating themselves: the username is compared with another field, not a literal. */
  const ruleSet = ruleSetOf(
    rule(
      'self impersonation',
      'sel:\n    verb: create\n    objectRef.resource: pods\nself:\n    user.username|fieldref: impersonatedUser.username\ncondition: sel and self',
    ),
  );

  it('finds the event whose two fields agree, whatever the username', () => {
    const event = auditEvent({ verb: 'create', resource: 'pods', impersonate: 'mallory@contoso.example' });
    expect(verdict(ruleSet, aksBody(event))).toEqual({ passes: true, findings: ['self impersonation'] });
  });

  it('still rules out what the other items rule out', () => {
    const event = auditEvent({ verb: 'get', resource: 'pods', impersonate: 'mallory@contoso.example' });
    expect(verdict(ruleSet, aksBody(event))).toEqual(RULED_OUT);
  });
});

describe('rules that need different fields', () => {
  /** Anything the anonymous user does; the other rule needs `verb` and `objectRef.resource`. */
  const ruleSet = ruleSetOf(CRONJOB_CREATE, ANONYMOUS);
  /** A request for the server's version: no `objectRef` at all. */
  const version = (username: string) => {
    const { objectRef: _objectRef, ...event } = auditEvent({ verb: 'get', username, code: 200 });
    return { ...event, requestURI: '/version' };
  };

  it('finds the anonymous request for the version, which names no resource', () => {
    expect(verdict(ruleSet, aksBody(...routine, version('system:anonymous')))).toEqual({
      passes: true,
      findings: ['anonymous'],
    });
  });

  it('rules out the same request by a known user, and the routine writes', () => {
    expect(verdict(ruleSet, aksBody(...routine, version('mallory@contoso.example')))).toEqual(RULED_OUT);
  });

  it('finds the CronJob created among them', () => {
    const create = auditEvent({ requestObject: cronJobBody(podSpec({ image: 'nginx' })) });
    expect(verdict(ruleSet, aksBody(...routine, create))).toEqual({
      passes: true,
      findings: ['cronjob created'],
    });
  });
});

describe('a rule that needs two values of one field in one event', () => {
  /** An event that names pods and jobs at once (an `objectRef` list); a regular expression on the field besides. */
  const ruleSet = ruleSetOf(
    rule(
      'pods and jobs',
      'sel_pods:\n    objectRef.resource: pods\nsel_jobs:\n    objectRef.resource: jobs\ncondition: all of sel_*',
    ),
    rule('secret by pattern', "sel:\n    objectRef.resource|re: '^secrets?$'\ncondition: sel"),
  );
  const both = { ...auditEvent({ verb: 'create' }), objectRef: [{ resource: 'pods' }, { resource: 'jobs' }] };

  it('finds the event naming both, though neither value alone lets the rule match', () => {
    const noSecret = routine.filter((event) => !JSON.stringify(event).includes('secrets'));
    expect(verdict(ruleSet, aksBody(...noSecret, both))).toEqual({
      passes: true,
      findings: ['pods and jobs'],
    });
  });

  it('rules out events that name one of them each', () => {
    const pods = auditEvent({ verb: 'create', resource: 'pods' });
    const jobs = auditEvent({ verb: 'create', resource: 'jobs' });
    expect(verdict(ruleSet, aksBody(pods, jobs))).toEqual(RULED_OUT);
  });

  it('finds the secret the pattern names', () => {
    expect(
      verdict(ruleSet, aksBody(...routine.slice(0, 2), auditEvent({ verb: 'get', resource: 'secret' }))),
    ).toEqual({
      passes: true,
      findings: ['secret by pattern'],
    });
  });
});
