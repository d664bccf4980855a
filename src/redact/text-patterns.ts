/**
 * Secret shapes found anywhere in copied text. A pattern with a `prefix` group keeps it (the
 * flag, key or scheme that says what follows), so only the secret itself is replaced and the
 * command that made a rule fire stays readable. Value classes stop at quotes and backslashes, so
 * a replacement inside JSON text never crosses a string boundary or an escape.
 */
export interface TextPattern {
  readonly kind: string;
  readonly regex: RegExp;
  /** True when group 1 is a prefix to keep and group 2 the secret; else the whole match is the secret. */
  readonly prefixed: boolean;
  /**
   * A test every text the pattern matches passes, for a pattern too slow to try on every text: a
   * long run of some characters, which a regular expression tries from every place in the text.
   */
  readonly within?: (text: string) => boolean;
}

/**
 * Whether `text` holds `length` characters that `inRun` takes in a row. A window's last character
 * is tried first, and one outside the run skips the whole window: a text of short words costs a
 * test per `length` characters.
 */
export function hasRun(text: string, length: number, inRun: (code: number) => boolean): boolean {
  let end = length - 1;
  while (end < text.length) {
    if (!inRun(text.charCodeAt(end))) {
      end += length;
      continue;
    }
    const start = end - length + 1;
    let at = end - 1;
    while (at >= start && inRun(text.charCodeAt(at))) at--;
    if (at < start) return true;
    // The next window that can hold a run starts after the character outside it.
    end = at + length;
  }
  return false;
}

const isAlphanumeric = (code: number): boolean =>
  (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);

const VALUE = String.raw`[^\s"'\\&;,]+`;

/** Most specific first: a GitHub token in a URL's password is named as a GitHub token. */
export const DEFAULT_PATTERNS: readonly TextPattern[] = [
  {
    kind: 'private-key',
    // Ends at its END line, else at a quote or the end of the text: every BEGIN matches, in one pass.
    regex: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[^"]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|(?=")|$)/g,
    prefixed: false,
  },
  {
    kind: 'jwt',
    // Starts only where a run starts, so a run of "eyJeyJ…" is scanned once, not once per "eyJ".
    regex: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g,
    prefixed: false,
  },
  {
    kind: 'github-token',
    regex: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/g,
    prefixed: false,
  },
  // Azure DevOps personal access tokens: the 84-character format carries "AZDO" at offset 76;
  // the older format is 52 characters of lower-case base32.
  {
    kind: 'azure-devops-pat',
    regex: /\b(?:[A-Za-z0-9]{76}AZDO[A-Za-z0-9]{4}|[a-z2-7]{52})\b/g,
    prefixed: false,
    // Either format is 52 letters and digits in a row at least.
    within: (text) => hasRun(text, 52, isAlphanumeric),
  },
  { kind: 'aws-access-key', regex: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, prefixed: false },
  { kind: 'bearer', regex: /(\bBearer\s+)([A-Za-z0-9._~+/=-]{8,})/gi, prefixed: true },
  { kind: 'sas-signature', regex: new RegExp(String.raw`(\bsig=)(${VALUE})`, 'gi'), prefixed: true },
  { kind: 'account-key', regex: new RegExp(String.raw`(\bAccountKey=)(${VALUE})`, 'gi'), prefixed: true },
  {
    kind: 'shared-access-key',
    regex: new RegExp(String.raw`(\bSharedAccessKey=)(${VALUE})`, 'gi'),
    prefixed: true,
  },
  {
    kind: 'aws-secret-key',
    regex: new RegExp(String.raw`(\baws_secret_access_key\s*[=:]\s*)(${VALUE})`, 'gi'),
    prefixed: true,
  },
  {
    kind: 'cli-argument',
    regex: new RegExp(
      String.raw`(--(?:password|passwd|token|access-token|auth-token|client-secret|secret)(?:=|\s+))([^\s"'\\&;,-][^\s"'\\&;,]*)`,
      'gi',
    ),
    prefixed: true,
  },
  {
    kind: 'password',
    regex: new RegExp(String.raw`(\b(?:password|passwd|pwd)\s*=\s*)(${VALUE})`, 'gi'),
    prefixed: true,
  },
  {
    kind: 'connection-string',
    regex:
      /(\b(?:mongodb(?:\+srv)?|postgres(?:ql)?|mysql|mariadb|redis|rediss|amqps?|mssql|sqlserver|https?|ftp):\/\/[^\s"'\\:/@]+:)([^\s"'\\@/]+)(?=@)/gi,
    prefixed: true,
  },
];

/** Strict mode adds shapes that also catch ordinary values now and then. */
export const STRICT_PATTERNS: readonly TextPattern[] = [
  ...DEFAULT_PATTERNS,
  {
    kind: 'secret',
    regex: new RegExp(
      String.raw`(\b(?:secret|client_secret|api[_-]?key|access[_-]?key|token|credential)s?\s*[=:]\s*)(${VALUE})`,
      'gi',
    ),
    prefixed: true,
  },
  {
    kind: 'opaque-token',
    regex: /(?<![A-Za-z0-9+/_-])(?=[A-Za-z0-9+/_-]*\d)[A-Za-z0-9+/_-]{40,}={0,2}/g,
    prefixed: false,
    within: (text) =>
      hasRun(
        text,
        40,
        (code) => isAlphanumeric(code) || code === 0x2b || code === 0x2f || code === 0x5f || code === 0x2d,
      ),
  },
];
