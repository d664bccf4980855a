/**
 * A Sigma string value parsed once into literal text and wildcard tokens, with the
 * specification's backslash escapes resolved (`\*`, `\?`, `\\`; any other backslash is literal).
 */
export type SigmaStringPart = string | typeof ANY_RUN | typeof ANY_CHAR;

export const ANY_RUN = Symbol('*');
export const ANY_CHAR = Symbol('?');

export interface SigmaString {
  readonly parts: readonly SigmaStringPart[];
}

export function parseSigmaString(raw: string): SigmaString {
  const parts: SigmaStringPart[] = [];
  let text = '';
  const flush = (): void => {
    if (text !== '') parts.push(text);
    text = '';
  };
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '\\') {
      const next = raw[i + 1];
      if (next === '*' || next === '?' || next === '\\') {
        text += next;
        i++;
      } else {
        text += '\\';
      }
    } else if (c === '*') {
      flush();
      parts.push(ANY_RUN);
    } else if (c === '?') {
      flush();
      parts.push(ANY_CHAR);
    } else {
      text += c;
    }
  }
  flush();
  return { parts: mergeRuns(parts) };
}

export function literalSigmaString(text: string): SigmaString {
  return { parts: text === '' ? [] : [text] };
}

function hasWildcards(s: SigmaString): boolean {
  return s.parts.some((p) => typeof p !== 'string');
}

/** The text when the value has no wildcards, otherwise undefined. */
export function plainText(s: SigmaString): string | undefined {
  if (hasWildcards(s)) return undefined;
  return s.parts.join('');
}

export function withLeadingRun(s: SigmaString): SigmaString {
  return { parts: mergeRuns([ANY_RUN, ...s.parts]) };
}

export function withTrailingRun(s: SigmaString): SigmaString {
  return { parts: mergeRuns([...s.parts, ANY_RUN]) };
}

export function mapLiterals(s: SigmaString, fn: (text: string) => string): SigmaString {
  return { parts: s.parts.map((p) => (typeof p === 'string' ? fn(p) : p)) };
}

function mergeRuns(parts: readonly SigmaStringPart[]): SigmaStringPart[] {
  const out: SigmaStringPart[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (p === ANY_RUN && last === ANY_RUN) continue;
    if (typeof p === 'string' && typeof last === 'string') out[out.length - 1] = last + p;
    else if (p !== '') out.push(p);
  }
  return out;
}
