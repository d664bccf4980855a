/**
 * Control characters (C0 but newline and tab, DEL, C1, line separators and bidi overrides)
 * written as `\uXXXX`, so text an attacker wrote into a record cannot move the cursor, clear the
 * screen, retitle the terminal (ANSI/OSC) or reorder what is shown.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function escapeControl(text: string): string {
  return text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const QUERY = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s"'?#]*)\?[^\s"'#]*/gi;
const CREDENTIAL =
  /\b(sig|code|password|pwd|secret|client_secret|token|access_token|key|accountkey|sharedaccesskey|sharedaccesssignature)=([^\s;&"',]+)/gi;
const USER_INFO = /(\b[a-z][a-z0-9+.-]*:\/\/)[^\s"'/@]+@/gi;

/**
 * Query strings (a SAS `sig=`, a function `code=`), `key=value` credentials of connection strings
 * and passwords in URLs replaced by `***`: settings and SDK errors echo them back.
 */
export function maskSecrets(text: string): string {
  return text.replace(QUERY, '$1?***').replace(CREDENTIAL, '$1=***').replace(USER_INFO, '$1***@');
}
