import { describe, expect, it } from 'vitest';
import { ByteCensus, type CensusKey } from '../../../src/prefilter/census/byte-census.js';
import { auditEvent } from '../../helpers/audit.js';
import { aksBody, BACKDOOR, corednsUpdate, KUBE_AUDIT, RULED_OUT, ruleSetOf, verdict } from '../verdicts.js';

/**
 * The census writes where each `\u` escape stands (its backslash), with the keys' letters, and the
 * prefilter reads a body's escapes only there: an escape in either half of a 32-byte turn, in a
 * turn where no key letter stands, must be written out, and read to its four hex digits.
 */

const J: CensusKey = { letter: 0x6a };
const W: CensusKey = { letter: 0x77 };

describe('the places of `\\u` escapes in a census', () => {
  const census = new ByteCensus();

  it('writes the backslash of a `\\u` at any place of a turn, in a body without a key letter', () => {
    // Two turns and a bit: each half of a turn, and a `u` in the turn after its backslash.
    for (let at = 0; at < 70; at++) {
      const bytes = Buffer.alloc(72, 'x');
      bytes.write('\\u', at, 'latin1');
      const found = census.run(bytes, [J, W]);
      expect(found?.unicodeEscape, `at ${at}`).toBe(true);
      expect([...(found?.positions ?? [])], `at ${at}`).toEqual([at]);
    }
  });

  it('writes escapes and key letters in one ascending list, and no backslash without its `u`', () => {
    const bytes = Buffer.alloc(96, 'x');
    for (const [at, text] of [
      [3, '\\u'],
      [20, 'J'],
      [21, '\\u'],
      [40, '\\U'],
      [50, '\\\\'],
      [63, '\\u'],
      [70, 'w'],
    ] as const)
      bytes.write(text, at, 'latin1');
    const found = census.run(bytes, [J, W]);
    expect([...(found?.positions ?? [])]).toEqual([3, 20, 21, 63, 70]);
    // A backslash before a capital `U`, or before another backslash, starts no `\u` escape.
    const none = Buffer.alloc(64, 'x');
    none.write('\\U \\\\ u\\', 10, 'latin1');
    expect(census.run(none, [J, W])).toMatchObject({ unicodeEscape: false, positions: new Int32Array(0) });
  });
});

describe("deciding by an AKS body's escapes, wherever they stand in a turn", () => {
  const ruleSet = ruleSetOf(BACKDOOR);
  /** The routine body with `escape` written `shift` characters into the name (the body holds the escape's backslash escaped once more). */
  const escapedAt = (escape: string, shift: number) =>
    aksBody(corednsUpdate).replace('coredns', `${'c'.repeat(shift)}\\\\${escape}oredns`);

  it('lets through a body whose one escape could spell a letter, in either half of a turn', () => {
    for (let shift = 0; shift < 32; shift++) {
      // `\u0073` is `s`: the name could be `sore…` spelled otherwise; full matching finds nothing.
      expect(verdict(ruleSet, escapedAt('u0073', shift)), `shift ${shift}`).toEqual({
        passes: true,
        findings: [],
      });
      expect(verdict(ruleSet, escapedAt('u0026', shift)), `shift ${shift}`).toEqual(RULED_OUT);
    }
  });

  it('reads every hex digit in either case, and each of the four digits', () => {
    // 0x60–0x6f are a backtick and small letters: each could spell part of a literal.
    for (const digit of '0123456789abcdefABCDEF')
      expect(verdict(ruleSet, escapedAt(`u006${digit}`, 0)).passes, `\\u006${digit}`).toBe(true);
    // The same letters written with the value in other digits: `\u0${d}…` for d > 0 is above ASCII.
    for (const unsafe of ['u0069', 'u0049', 'u0039', 'u005A', 'u005a', 'u007A', 'u212A', 'u212a'])
      expect(verdict(ruleSet, escapedAt(unsafe, 0)).passes, unsafe).toBe(true);
    // Harmless: `&`, `<`, `>` and controls in any case of their digits, characters above ASCII that
    // fold into none of its letters, and escapes cut short by a byte that is no hex digit.
    for (const harmless of [
      'u0026',
      'u003C',
      'u003c',
      'u003E',
      'u003e',
      'u001F',
      'u001f',
      'u0000',
      'u00e9',
      'u00E9',
      'u4e2d',
      'u006g',
      'u00:3',
      'u0/73',
      'ux073',
      'u',
    ])
      expect(verdict(ruleSet, escapedAt(harmless, 0)), harmless).toEqual(RULED_OUT);
  });

  it('reads an escape whose digits end the body, and none whose digits the body cuts short', () => {
    for (const tail of ['0073', '0053']) {
      const body = `${aksBody(corednsUpdate)}\\u${tail}`;
      expect(ruleSet.prefilter.mayMatchBody(Buffer.from(body)), tail).toBe(true);
      expect(ruleSet.prefilter.mayMatchBody(body), tail).toBe(true);
    }
    for (const tail of ['', '0', '00', '007']) {
      const body = `${aksBody(corednsUpdate)}\\u${tail}`;
      expect(ruleSet.prefilter.mayMatchBody(Buffer.from(body)), tail).toBe(false);
      expect(ruleSet.prefilter.mayMatchBody(body), tail).toBe(false);
    }
  });

  it('reads as escapes only the places of a backslash, not those of the key letters beside them', () => {
    // The census takes `k` before `u` (`kube-system`): a name `ku0073` puts hex digits two bytes
    // after a key letter, as after the backslash of `\u0073`, in a body with a harmless escape.
    const body = aksBody(corednsUpdate)
      .replace('coredns', 'ku0073-ku0053')
      .replace('?fieldManager', '?a\\\\u0026b');
    expect(body).toContain('?a\\\\u0026b');
    expect(verdict(ruleSet, body)).toEqual(RULED_OUT);
  });
});

describe('deciding by escapes where no census runs', () => {
  // Literals that start from no letter: the body's escapes are searched in its text instead.
  const colons = ruleSetOf({
    title: 'colons in a name',
    detection: "sel:\n    objectRef.name|contains: '::::'\ncondition: sel",
    logsource: KUBE_AUDIT,
  });
  const named = (name: string) => aksBody(auditEvent({ verb: 'get', resource: 'pods', username: 'u', name }));

  it('rules out a body whose escapes are all harmless, and parses one whose escape could spell a literal', () => {
    for (const harmless of ['u0026', 'u003c', 'u001F', 'u00e9'])
      expect(verdict(colons, named('a:XX:b').replace('XX', `\\\\${harmless}`)), harmless).toEqual(RULED_OUT);
    expect(verdict(colons, named('a:XX:b').replace('XX', '\\\\u003a'))).toEqual({
      passes: true,
      findings: [],
    });
  });
});
