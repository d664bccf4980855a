import { describe, expect, it } from 'vitest';
import { jsonPatchToPartialDocument } from '../../src/sources/kube-audit/json-patch.js';

/** Replaying a JSON Patch (RFC 6902) as the fields it sets, one case per kind of operation and path. */

const replay = (operations: unknown[]) => jsonPatchToPartialDocument(operations);

describe('which operations set fields', () => {
  it('add and replace set their value', () => {
    expect(
      replay([
        { op: 'add', path: '/spec/hostPID', value: true },
        { op: 'replace', path: '/spec/hostNetwork', value: true },
      ]),
    ).toStrictEqual({ document: { spec: { hostPID: true, hostNetwork: true } }, truncated: undefined });
  });

  it.each(['remove', 'move', 'copy', 'test', 'ADD', undefined])('%s sets nothing', (op) => {
    expect(replay([{ op, path: '/spec/hostPID', from: '/spec/x', value: true }]).document).toStrictEqual({});
  });

  it('operations that are no objects, or whose path is no pointer, set nothing', () => {
    const operations = [
      'add',
      null,
      [{ op: 'add', path: '/a', value: 1 }],
      { op: 'add', path: 7, value: 1 },
      { op: 'add', path: 'spec/hostPID', value: true },
    ];
    expect(replay(operations)).toStrictEqual({ document: {}, truncated: undefined });
  });

  it('the whole-document pointer "" sets nothing', () => {
    expect(replay([{ op: 'add', path: '', value: { spec: {} } }]).document).toStrictEqual({});
  });

  it('the pointer "/" sets the key ""', () => {
    expect(replay([{ op: 'add', path: '/', value: 1 }]).document).toStrictEqual({ '': 1 });
  });
});

describe('pointer segments', () => {
  it('~1 is a slash and ~0 a tilde, ~01 is a literal ~1', () => {
    expect(
      replay([{ op: 'add', path: '/metadata/annotations/a~1b~0c~01', value: 'v' }]).document,
    ).toStrictEqual({
      metadata: { annotations: { 'a/b~c~1': 'v' } },
    });
  });

  it('a numeric segment under a new node makes an array', () => {
    expect(replay([{ op: 'add', path: '/containers/0/image', value: 'kali' }]).document).toStrictEqual({
      containers: [{ image: 'kali' }],
    });
  });

  it('"-" under a new node makes an array and appends', () => {
    expect(
      replay([
        { op: 'add', path: '/containers/-', value: { image: 'a' } },
        { op: 'add', path: '/containers/-', value: { image: 'b' } },
      ]).document,
    ).toStrictEqual({ containers: [{ image: 'a' }, { image: 'b' }] });
  });

  it('a segment that only starts or ends with digits makes an object', () => {
    expect(
      replay([
        { op: 'add', path: '/a/0x/v', value: 1 },
        { op: 'add', path: '/b/x0/v', value: 2 },
        { op: 'add', path: '/c/x-/v', value: 3 },
        { op: 'add', path: '/d/-x/v', value: 4 },
      ]).document,
    ).toStrictEqual({
      a: { '0x': { v: 1 } },
      b: { x0: { v: 2 } },
      c: { 'x-': { v: 3 } },
      d: { '-x': { v: 4 } },
    });
  });

  it('in an array, an index sets that element and any other segment appends', () => {
    const { document } = replay([
      { op: 'add', path: '/c/0', value: 'first' },
      { op: 'add', path: '/c/1x', value: 'second' },
      { op: 'add', path: '/c/x1', value: 'third' },
      { op: 'replace', path: '/c/0', value: 'replaced' },
    ]);
    expect(document).toStrictEqual({ c: ['replaced', 'second', 'third'] });
  });

  it('index 1023 is kept; 1024 and beyond are appended rather than padding a sparse array', () => {
    const kept = replay([{ op: 'add', path: '/c/1023', value: 'v' }]).document['c'] as unknown[];
    expect([kept.length, kept[1023]]).toEqual([1024, 'v']);
    expect(replay([{ op: 'add', path: '/c/1024', value: 'v' }]).document).toStrictEqual({ c: ['v'] });
    expect(replay([{ op: 'add', path: '/c/99999999', value: 'v' }]).document).toStrictEqual({ c: ['v'] });
  });

  it('operations into one element merge', () => {
    expect(
      replay([
        { op: 'add', path: '/containers/0/image', value: 'kali' },
        { op: 'add', path: '/containers/0/securityContext/privileged', value: true },
        { op: 'add', path: '/containers/0/ports/0', value: 80 },
      ]).document,
    ).toStrictEqual({ containers: [{ image: 'kali', securityContext: { privileged: true }, ports: [80] }] });
  });

  it('nested arrays merge too', () => {
    expect(
      replay([
        { op: 'add', path: '/m/0/0', value: 'a' },
        { op: 'add', path: '/m/0/1', value: 'b' },
      ]).document,
    ).toStrictEqual({ m: [['a', 'b']] });
  });

  it('a scalar in the way is replaced by the node the path needs', () => {
    expect(
      replay([
        { op: 'add', path: '/spec', value: 'x' },
        { op: 'add', path: '/spec/hostPID', value: true },
        { op: 'add', path: '/list/0', value: 'y' },
        { op: 'add', path: '/list/0/name', value: 'n' },
      ]).document,
    ).toStrictEqual({ spec: { hostPID: true }, list: [{ name: 'n' }] });
  });

  it('__proto__ and constructor are ordinary keys, and Object.prototype is untouched', () => {
    const { document } = replay([
      { op: 'add', path: '/__proto__/polluted', value: true },
      { op: 'add', path: '/constructor', value: 'c' },
    ]);
    expect(Object.keys(document)).toEqual(['__proto__', 'constructor']);
    expect(Object.getOwnPropertyDescriptor(document, '__proto__')?.value).toStrictEqual({ polluted: true });
    expect(document['constructor']).toBe('c');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('the depth bound', () => {
  const deep = (segments: number) => `/${Array.from({ length: segments }, (_, i) => `k${i}`).join('/')}`;

  it('64 segments are replayed', () => {
    const { document, truncated } = replay([{ op: 'add', path: deep(64), value: 1 }]);
    expect(truncated).toBeUndefined();
    expect(Object.keys(document)).toEqual(['k0']);
  });

  it('65 segments are reported, with the count of operations not replayed', () => {
    expect(
      replay([
        { op: 'add', path: deep(65), value: 1 },
        { op: 'add', path: deep(70), value: 1 },
        { op: 'add', path: '/spec/hostPID', value: true },
      ]),
    ).toStrictEqual({
      document: { spec: { hostPID: true } },
      truncated: 'JSON Patch: 2 of 3 operations deeper than 64 segments, not replayed',
    });
  });
});
