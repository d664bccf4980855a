import { createHash } from 'node:crypto';

/**
 * `[redacted:<kind>:<first 8 hex of sha256>]`: unreadable, yet the same secret gives the same
 * token in every finding, so findings still correlate on it.
 */
export function redactionToken(kind: string, secret: string): string {
  return `[redacted:${kind}:${createHash('sha256').update(secret).digest('hex').slice(0, 8)}]`;
}

/** For whole bodies kept elsewhere in the record: the token and the size they had. */
export function redactedBody(kind: string, body: string): string {
  return `${redactionToken(kind, body)} (${Buffer.byteLength(body, 'utf8')} bytes)`;
}
