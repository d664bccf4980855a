import { describe, expect, it } from 'vitest';
import { auditEvent } from '../helpers/audit.js';
import { bundledRuleSet } from '../helpers/detector.js';
import { aksBody, KUBE_AUDIT, reportedProblems, RULED_OUT, ruleSetOf, verdict } from './verdicts.js';

/**
 * Events torn short of their closing brace (a log line cut off): they cannot be parsed, so what
 * the field scan reads of their escaped text alone decides them. One whose scanned values rule
 * every rule out is skipped; one they do not is left to the full parse, which reports it.
 */

/** Each embedded event of the body without its closing brace. */
const torn = (body: string) => body.replaceAll('}\\n"', '\\n"');

const secretDelete = ruleSetOf({
  title: 'secret deleted',
  detection: 'sel:\n    verb: delete\n    objectRef.resource: secrets\ncondition: sel',
  logsource: KUBE_AUDIT,
});

describe('a torn event ruled out by its scanned values', () => {
  it('rules out a read of a secret and a deletion of a config map', () => {
    const body = torn(
      aksBody(
        auditEvent({ verb: 'get', resource: 'secrets' }),
        auditEvent({ verb: 'delete', resource: 'configmaps' }),
      ),
    );
    expect(verdict(secretDelete, body)).toEqual(RULED_OUT);
  });

  it("rules out a read of a secret whose response holds the fields' names as values", () => {
    const event = auditEvent({
      verb: 'get',
      resource: 'secrets',
      responseObject: {
        kind: 'Secret',
        stringData: { mode: 'resource', order: 'verb' },
        fields: ['verb', 'resource'],
        claims: { name: 'username' },
      },
    });
    const body = torn(aksBody(event));
    expect(body).toContain('\\"resource\\",');
    expect(body).toContain('\\"resource\\"]');
    expect(body).toContain('\\"username\\"}');
    expect(verdict(secretDelete, body)).toEqual(RULED_OUT);
  });

  it('rules out a read of a Job, for the bundled rules', async () => {
    const status = auditEvent({
      verb: 'get',
      resource: 'jobs',
      username: 'mallory@contoso.example',
    });
    expect(verdict(await bundledRuleSet(), torn(aksBody(status)))).toEqual(RULED_OUT);
  });

  it('leaves a deletion of a secret to the full parse, which reports the torn event', () => {
    const body = torn(aksBody(auditEvent({ verb: 'delete', resource: 'secrets' })));
    expect(verdict(secretDelete, body)).toEqual({ passes: true, findings: [] });
    expect(reportedProblems(secretDelete, body)).toHaveLength(1);
  });
});
