import { describe, expect, it } from 'vitest';
import { fieldPath, lookupField, MAX_FIELD_DEPTH } from '../../src/sigma/field-path.js';

describe('field resolution', () => {
  const record = {
    objectRef: { resource: 'cronjobs', namespace: 'ops' },
    annotations: { 'authorization.k8s.io/decision': 'allow' },
    user: { groups: ['system:authenticated', 'devs'] },
    spec: { containers: [{ image: 'alpine' }, { image: 'busybox' }] },
    'a.b': 'literal',
    a: { b: 'nested' },
    empty: [],
    nothing: null,
  };

  it('walks nested objects', () => {
    expect(lookupField(record, fieldPath('objectRef.resource')).values).toEqual(['cronjobs']);
  });
  it('resolves a key that itself contains dots', () => {
    expect(lookupField(record, fieldPath('annotations.authorization.k8s.io/decision')).values).toEqual([
      'allow',
    ]);
  });
  it('steps into every array element and flattens leaf arrays', () => {
    expect(lookupField(record, fieldPath('spec.containers.image')).values).toEqual(['alpine', 'busybox']);
    expect(lookupField(record, fieldPath('user.groups')).values).toEqual(['system:authenticated', 'devs']);
  });
  it('returns both the literal dotted key and the nested path when both exist', () => {
    expect([...lookupField(record, fieldPath('a.b')).values].sort()).toEqual(['literal', 'nested']);
  });
  it('distinguishes present-but-empty and null from missing', () => {
    expect(lookupField(record, fieldPath('empty'))).toEqual({ present: true, values: [] });
    expect(lookupField(record, fieldPath('nothing'))).toEqual({ present: true, values: [null] });
    expect(lookupField(record, fieldPath('missing')).present).toBe(false);
    expect(lookupField(record, fieldPath('objectRef.resource.deeper')).present).toBe(false);
  });
  it('treats __proto__ and constructor keys in input as plain data', () => {
    const hostile = JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": {"name": "x"}}') as Record<
      string,
      unknown
    >;
    expect(lookupField(hostile, fieldPath('__proto__.polluted')).values).toEqual(['yes']);
    expect(lookupField(hostile, fieldPath('constructor.name')).values).toEqual(['x']);
    expect(lookupField({}, fieldPath('constructor')).present).toBe(false);
    expect(lookupField({}, fieldPath('toString')).present).toBe(false);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
  it('survives very deep nesting without throwing', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 5000; i++) deep = { a: deep };
    const path = fieldPath(Array.from({ length: 5000 }, () => 'a').join('.'));
    expect(() => lookupField(deep, path)).not.toThrow();
    expect(lookupField(deep, path).tooDeep).toBe(true);
  });
  it('says when values lie below the depth bound, and only then', () => {
    const nest = (depth: number): unknown => {
      let value: unknown = 'leaf';
      for (let i = 0; i < depth; i++) value = [value];
      return value;
    };
    const within = lookupField({ f: nest(MAX_FIELD_DEPTH - 1) }, fieldPath('f'));
    expect(within).toEqual({ present: true, values: ['leaf'] });
    expect(within.tooDeep).toBeUndefined();
    const below = lookupField({ f: nest(MAX_FIELD_DEPTH + 5), g: 'x' }, fieldPath('f'));
    expect(below).toMatchObject({ present: true, values: [], tooDeep: true });
    const walked = lookupField({ a: nest(MAX_FIELD_DEPTH + 5) }, fieldPath('a.b'));
    expect(walked).toMatchObject({ present: false, tooDeep: true });
  });
});
