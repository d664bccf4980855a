import { describe, expect, it } from 'vitest';
import { AnchorReader, atFieldPath, type AnchorPlace } from '../../src/prefilter/field-scan.js';

/** An Event Hub body of AKS records, each embedding `event` as the API server writes it: a JSON string. */
function aksBody(...events: unknown[]): string {
  return JSON.stringify({
    records: events.map((event) => ({
      category: 'kube-audit',
      properties: { log: `${JSON.stringify(event)}\n`, stream: 'stdout' },
    })),
  });
}

/** Where each occurrence of `literal` lies, read in text order as the prefilter reads them. */
function places(text: string, literal: string, leaf = 'resource'): AnchorPlace[] {
  const reader = new AnchorReader(text, leaf);
  const out: AnchorPlace[] = [];
  for (let at = text.indexOf(literal); at >= 0; at = text.indexOf(literal, at + 1))
    out.push(reader.place(at));
  return out;
}

describe('placing a literal found in a body (anchor reader)', () => {
  it("finds it in the field's value, plain or under a dotted key", () => {
    expect(places(aksBody({ objectRef: { resource: 'jobs' } }), 'jobs')).toEqual(['field-value']);
    expect(places(aksBody({ objectRef: { resource: 'cronjobs' } }), 'jobs')).toEqual(['field-value']);
    expect(places(aksBody({ 'objectRef.resource': 'jobs' }), 'jobs')).toEqual(['field-value']);
    expect(places(aksBody({ objectRef: [{ resource: 'pods' }, { resource: 'jobs' }] }), 'jobs')).toEqual([
      'field-value',
    ]);
  });

  it("rules out another field's value and any key, which no rule on the field reads", () => {
    const event = {
      requestURI: '/apis/batch/v1/namespaces/default/jobs/x/status',
      jobs: 1,
      subresource: 'jobs',
      metadata: { labels: { jobs: 'cronjob-controller' } },
    };
    // requestURI, the key `jobs`, `subresource` (another field), the label key, in text order.
    expect(places(aksBody(event), 'jobs')).toEqual(['elsewhere', 'elsewhere', 'elsewhere', 'elsewhere']);
  });

  it('cannot rule out a list element: a list of values is read element by element', () => {
    expect(places(aksBody({ objectRef: { resource: ['jobs'] } }), 'jobs')).toEqual(['unsure']);
    expect(places(aksBody({ objectRef: { resource: ['pods', 'jobs'] } }), 'jobs')).toEqual(['unsure']);
    // An element that spells a key inside it (an escaped quote and a colon) is still no key.
    expect(places(aksBody({ objectRef: { resource: ['pods', 'jobs":x'] } }), 'jobs')).toEqual(['unsure']);
  });

  it('cannot read the field where the body itself holds the event (a `log` object)', () => {
    const body = JSON.stringify({ records: [{ properties: { log: { objectRef: { resource: 'jobs' } } } }] });
    expect(places(body, 'jobs')).toEqual(['unsure']);
    // The body's own fields are no event's: an operation naming jobs is elsewhere.
    const envelope = JSON.stringify({ records: [{ operationName: 'x/batch/jobs/write', properties: {} }] });
    expect(places(envelope, 'jobs')).toEqual(['elsewhere']);
  });

  it('cannot read the field one level deeper, where `properties` is itself a JSON string', () => {
    const event = { objectRef: { resource: 'jobs' } };
    const body = JSON.stringify({
      records: [{ properties: JSON.stringify({ log: `${JSON.stringify(event)}\n` }) }],
    });
    expect(places(body, 'jobs')).toEqual(['unsure']);
    // There, a value in a list or after spacing is the field's too, though the key's colon is not before it.
    const deeper = (inner: unknown) =>
      JSON.stringify({ records: [{ properties: JSON.stringify({ log: `${JSON.stringify(inner)}\n` }) }] });
    expect(places(deeper({ objectRef: { resource: ['pods', 'jobs'] } }), 'jobs')).toEqual(['unsure']);
    const spaced = deeper({ objectRef: { resource: 'jobs' } }).replace(
      'resource\\\\\\":',
      'resource\\\\\\": ',
    );
    expect(spaced).toContain('\\\\\\": \\\\\\"jobs');
    expect(places(spaced, 'jobs')).toEqual(['unsure']);
  });

  it('looks through a document nested in a string: its field values count, its other text does not', () => {
    const nested = (inner: unknown) =>
      aksBody({
        objectRef: { resource: 'pods' },
        requestObject: { metadata: { annotations: { applied: JSON.stringify(inner) } } },
      });
    expect(places(nested({ note: 'jobs', kind: 'CronJob' }), 'jobs')).toEqual(['elsewhere']);
    expect(places(nested({ objectRef: { resource: 'cronjobs' } }), 'jobs')).toEqual(['unsure']);
    // A second literal after a deeper field value in the same string meets that value again.
    expect(places(nested({ resource: 'jobs', note: 'jobs' }), 'jobs')).toEqual(['unsure', 'unsure']);
  });

  it('is unsure of what it cannot read: spacing, or an escape inside the key', () => {
    const spaced = aksBody({ objectRef: { resource: 'x' } }).replace(
      '\\"resource\\":\\"x',
      '\\"resource\\": \\"jobs',
    );
    expect(places(spaced, 'jobs')).toEqual(['unsure']);
    const escapedKey = aksBody({ objectRef: { 're\\source': 'jobs' } });
    expect(places(escapedKey, 'jobs')).toEqual(['unsure']);
  });

  it("gives literals in one string that string's answer, however many", () => {
    const many = 'jobs '.repeat(1000);
    expect(places(aksBody({ objectRef: { resource: many } }), 'jobs')).toEqual(
      Array(1000).fill('field-value'),
    );
    expect(places(aksBody({ annotations: { note: many } }), 'jobs')).toEqual(Array(1000).fill('elsewhere'));
    expect(places(aksBody({ objectRef: { resource: ['pods', many] } }), 'jobs')).toEqual(
      Array(1000).fill('unsure'),
    );
    // The string after the first long one gets its own answer.
    expect(places(aksBody({ annotations: { note: many }, objectRef: { resource: 'jobs' } }), 'jobs')).toEqual(
      [...Array(1000).fill('elsewhere'), 'field-value'],
    );
  });

  it('gives each literal its own answer when several records hold it', () => {
    const body = aksBody(
      { requestURI: '/apis/batch/v1/jobs', objectRef: { resource: 'pods' } },
      { objectRef: { resource: 'jobs' } },
      { annotations: { note: 'jobs' } },
    );
    expect(places(body, 'jobs')).toEqual(['elsewhere', 'field-value', 'elsewhere']);
    // A key and then a list element, both after a comma: the key's closing quote says nothing of the element.
    const keyThenList = aksBody({
      metadata: { labels: { app: 'x', jobs: 'x' } },
      objectRef: { resource: ['pods', 'jobs'] },
    });
    expect(places(keyThenList, 'jobs')).toEqual(['elsewhere', 'unsure']);
  });
});

describe('knowing a field from where its one value sits', () => {
  const username = (body: string) => {
    const at = body.indexOf('username');
    const content = body.indexOf('"log":"') + '"log":"'.length;
    return atFieldPath(body, content, body.length, { field: 0, at, value: 'x' }, 'user.username');
  };

  it('knows the caller written as the API server writes it', () => {
    expect(
      username(aksBody({ kind: 'Event', verb: 'update', user: { username: 'system:node:n1', groups: [] } })),
    ).toBe(true);
  });

  it('knows the caller behind objects that closed before it, and behind braces inside strings', () => {
    // Objects before the key open and close again: the key still stands at the event's top level.
    expect(
      username(
        aksBody({
          kind: 'Event',
          objectRef: { resource: 'leases', namespace: 'kube-node-lease' },
          responseStatus: { metadata: {}, code: 200 },
          user: { username: 'system:node:aks-nodepool1-0', groups: ['system:nodes'] },
        }),
      ),
    ).toBe(true);
    // Braces in a string are text, not structure.
    expect(
      username(aksBody({ requestURI: '/api/v1/namespaces/{ns}', user: { username: 'system:node:n1' } })),
    ).toBe(true);
  });

  it('does not take a closing brace inside a string for the end of the object around the caller', () => {
    // The user is the request's, one object down, whatever the string before it spells.
    const body = aksBody({
      verb: 'update',
      requestObject: { note: '}', user: { username: 'system:node:n1' } },
    });
    expect(username(body)).toBe(false);
  });

  it('does not know it anywhere else or twice', () => {
    // Nested in the request, or under another key: the event itself may name no user.
    expect(
      username(aksBody({ verb: 'update', requestObject: { user: { username: 'system:node:n1' } } })),
    ).toBe(false);
    expect(username(aksBody({ impersonatedUser: { username: 'system:node:n1' } }))).toBe(false);
    // Not the object's first key, or in a list.
    expect(username(aksBody({ user: { uid: '1', username: 'system:node:n1' } }))).toBe(false);
    expect(username(aksBody({ user: [{ username: 'system:node:n1' }] }))).toBe(false);
    // A second `user` key would win the parse.
    const twice = aksBody({ user: { username: 'system:node:n1' }, extra: 'x' }).replace(
      '\\"extra\\":\\"x\\"',
      '\\"user\\":{\\"name\\":\\"mallory\\"}',
    );
    expect(username(twice)).toBe(false);
    // However the second is spelt: spacing before its colon does not make it another key.
    expect(username(twice.replace('\\"user\\":{\\"name', '\\"user\\" :{\\"name'))).toBe(false);
  });
});
