import { describe, expect, it } from 'vitest';
import { auditEvent, jobBody, podSpec } from '../helpers/audit.js';
import { bundledRuleSet } from '../helpers/detector.js';
import { aksBody, KUBE_AUDIT, RULED_OUT, ruleSetOf, verdict } from './verdicts.js';

/**
 * Events as the API server writes them, read by the field scan from their escaped text: the
 * bundled rule flags CronJob and Job writes with a suspicious workload, except by system
 * principals. The scan must rule out what cannot match, and let through what can.
 */

const CONTROLLER = 'system:serviceaccount:kube-system:cronjob-controller';

/** The CronJob controller creating a Job of an existing CronJob, with a base image the rule flags. */
function controllerJob(shape: (event: Record<string, unknown>) => Record<string, unknown> = (e) => e) {
  return shape(
    auditEvent({
      resource: 'jobs',
      username: CONTROLLER,
      requestObject: jobBody(podSpec({ image: 'alpine:3.20', command: ['sh', '-c', 'backup'] })),
    }),
  );
}

/** The body with each embedded event cut short of its closing brace, as a torn log line is. */
const cutShort = (body: string) => body.replaceAll('}\\n"', '\\n"');

describe('a caller known from where the API server writes it', () => {
  it('rules out a controller event cut short, from its caller alone', async () => {
    const body = cutShort(aksBody(controllerJob()));
    expect(body.length).toBe(aksBody(controllerJob()).length - 1);
    expect(verdict(await bundledRuleSet(), body)).toEqual(RULED_OUT);
  });

  it('knows the caller behind objects and lists that closed before it, and braces inside strings', async () => {
    const ruleSet = await bundledRuleSet();
    const reordered = controllerJob(({ user, ...rest }) => ({
      kind: 'Event',
      requestURI: '/apis/batch/v1/namespaces/{ns}/jobs?labelSelector=a%3D%7Bb%7D]',
      objectRef: rest['objectRef'],
      sourceIPs: ['203.0.113.1', '[::1]'],
      responseStatus: { metadata: {}, code: 201 },
      verb: 'create',
      user,
      requestObject: rest['requestObject'],
    }));
    expect(verdict(ruleSet, cutShort(aksBody(reordered)))).toEqual(RULED_OUT);
  });

  it('rules out, among events cut short, every one a controller wrote', async () => {
    const ruleSet = await bundledRuleSet();
    const body = cutShort(aksBody(controllerJob(), controllerJob(), controllerJob()));
    expect(verdict(ruleSet, body)).toEqual(RULED_OUT);
  });

  it('lets through a complete event of a user among them', async () => {
    const ruleSet = await bundledRuleSet();
    const user = auditEvent({
      resource: 'jobs',
      requestObject: jobBody(podSpec({ image: 'alpine:3.20' })),
    });
    const body = `${cutShort(aksBody(controllerJob(), controllerJob())).slice(0, -2)},${aksBody(user).slice(12)}`;
    expect(verdict(ruleSet, body)).toEqual({
      passes: true,
      findings: ['Suspicious Kubernetes CronJob or Job Written'],
    });
  });
});

describe('keys named like the scanned fields inside the request', () => {
  it('rules out `kubectl auth can-i create cronjobs`, whose review names a verb and a resource', async () => {
    const review = auditEvent({
      verb: 'create',
      resource: 'selfsubjectaccessreviews',
      requestObject: {
        kind: 'SelfSubjectAccessReview',
        apiVersion: 'authorization.k8s.io/v1',
        spec: {
          resourceAttributes: { verb: 'create', group: 'batch', resource: 'cronjobs', namespace: 'default' },
        },
      },
    });
    expect(verdict(await bundledRuleSet(), aksBody(review))).toEqual(RULED_OUT);
  });

  it('rules out a Role that grants CronJob writes', async () => {
    const role = auditEvent({
      verb: 'create',
      resource: 'roles',
      requestObject: {
        kind: 'Role',
        rules: [{ apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: ['create', 'patch'] }],
      },
    });
    expect(verdict(await bundledRuleSet(), aksBody(role))).toEqual(RULED_OUT);
  });
});

describe('values outside ASCII', () => {
  it('finds a caller whose name holds a letter outside ASCII', () => {
    const ruleSet = ruleSetOf({
      title: 'jürgen deletes',
      detection: "sel:\n    verb: delete\n    user.username: 'jürgen@contoso.example'\ncondition: sel",
      logsource: KUBE_AUDIT,
    });
    const by = (username: string) => aksBody(auditEvent({ verb: 'delete', resource: 'pods', username }));
    expect(verdict(ruleSet, by('jürgen@contoso.example'))).toEqual({
      passes: true,
      findings: ['jürgen deletes'],
    });
    expect(verdict(ruleSet, by('mallory@contoso.example'))).toEqual(RULED_OUT);
  });
});
