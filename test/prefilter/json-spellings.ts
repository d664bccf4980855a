/**
 * JSON text written every way an encoder (or an attacker) may write the same value: `\u` and `\/`
 * escapes in any string, numbers as floats and exponents, keys in any order, duplicate keys (the
 * parser keeps the last), and spacing between tokens.
 */
export interface Spelling {
  /** Share of characters written as `\u` escapes (and of `/` written `\/`). */
  readonly escapeRate: number;
  readonly shuffleKeys: boolean;
  /** Share of keys preceded by a duplicate holding a decoy value. */
  readonly duplicateRate: number;
  readonly spacing: boolean;
  readonly numbers: 'plain' | 'float' | 'exponent';
  readonly random: () => number;
  /** A decoy for a duplicate key: any value of the same kind. */
  readonly decoy: (key: string) => unknown;
}

export function spell(value: unknown, s: Spelling): string {
  const gap = (): string => (s.spacing && s.random() < 0.3 ? ' ' : '');
  if (typeof value === 'string') return spellString(value, s);
  if (typeof value === 'number') return spellNumber(value, s);
  if (Array.isArray(value)) return `[${value.map((v) => spell(v, s)).join(`,${gap()}`)}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    if (s.shuffleKeys) shuffle(entries, s.random);
    const members: string[] = [];
    for (const [key, v] of entries) {
      if (s.random() < s.duplicateRate)
        members.push(`${spellString(key, s)}${gap()}:${gap()}${spell(s.decoy(key), s)}`);
      members.push(`${spellString(key, s)}${gap()}:${gap()}${spell(v, s)}`);
    }
    return `{${members.join(`,${gap()}`)}}`;
  }
  return JSON.stringify(value);
}

function spellString(value: string, s: Spelling): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (code < 0x20) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else if (s.random() < s.escapeRate && code <= 0xffff) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else if (ch === '/' && s.random() < s.escapeRate * 5) out += '\\/';
    else out += ch;
  }
  return `${out}"`;
}

function spellNumber(value: number, s: Spelling): string {
  if (!Number.isInteger(value) || s.numbers === 'plain') return JSON.stringify(value);
  if (s.numbers === 'float') return `${value}.0`;
  // 404 → 4.04e2, 4.04E+2 or 40400e-2: the same number to any parser.
  const digits = String(Math.abs(value));
  const sign = value < 0 ? '-' : '';
  const pick = s.random();
  if (pick < 0.4 && digits.length > 1) return `${sign}${digits[0]}.${digits.slice(1)}e${digits.length - 1}`;
  if (pick < 0.7) return `${sign}${digits}00E-2`;
  return `${sign}${digits}e+0`;
}

function shuffle<T>(items: T[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
}
