import { isRecord } from '../util/is-record.js';
import { redactText } from './redact-text.js';
import type { RedactionMode } from './redaction-mode.js';
import { redactedBody, redactionToken } from './redaction-token.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * Activity Log `properties.requestbody` and `responseBody`: whole ARM request and response bodies,
 * spelt as the export spells them (the finding's own `Indicators.requestBody` is a status word).
 */
const BODY_KEYS = new Map([
  ['requestbody', 'request-body'],
  ['responseBody', 'response-body'],
  ['responsebody', 'response-body'],
]);

/** Flags whose value is the next argument in a container's `command`/`args` array. */
const SECRET_FLAG = /^--?(?:password|passwd|token|access-token|auth-token|client-secret|secret)$/i;

/**
 * A copy of a parsed record with its secrets replaced: container `env[].value` (names kept), the
 * `last-applied-configuration` annotation and Activity Log request and response bodies (a token
 * and their size), the value after a `--password`/`--token` argument, and every secret shape in
 * every string. Keys are copied as own data properties, so `__proto__` stays data.
 */
export function redactValue(value: unknown, mode: RedactionMode): unknown {
  if (mode === 'off') return value;
  return walk(value, mode, 0);
}

/** Deeper than any real record; a hostile one is cut there rather than walked without end. */
const MAX_DEPTH = 200;
const TOO_DEEP = `[cut: nested deeper than ${MAX_DEPTH} levels]`;

function walk(value: unknown, mode: RedactionMode, depth: number): unknown {
  if (typeof value === 'string') return redactText(value, mode);
  if (depth > MAX_DEPTH) return typeof value === 'object' && value !== null ? TOO_DEEP : value;
  if (Array.isArray(value)) return walkArray(value, mode, depth);
  if (!isRecord(value)) return value;
  const secretData = mode === 'strict' || value['kind'] === 'Secret';
  const out: [string, unknown][] = [];
  for (const [key, child] of Object.entries(value)) {
    out.push([key, walkEntry(key, child, mode, depth, secretData)]);
  }
  return Object.fromEntries(out);
}

function walkEntry(
  key: string,
  child: unknown,
  mode: RedactionMode,
  depth: number,
  secretData: boolean,
): unknown {
  if (key === 'env' && Array.isArray(child)) return child.map((entry) => redactEnv(entry, mode, depth + 1));
  if (key === 'annotations' && isRecord(child)) return redactAnnotations(child, mode, depth + 1);
  const bodyKind = BODY_KEYS.get(key);
  if (bodyKind !== undefined && child !== null && child !== undefined) {
    return redactedBody(bodyKind, typeof child === 'string' ? child : (JSON.stringify(child) ?? ''));
  }
  if (secretData && (key === 'data' || key === 'stringData') && isRecord(child)) {
    return Object.fromEntries(
      Object.entries(child).map(([k, v]) => [k, redactionToken('secret-data', String(v))]),
    );
  }
  return walk(child, mode, depth + 1);
}

function redactEnv(entry: unknown, mode: RedactionMode, depth: number): unknown {
  if (!isRecord(entry) || !Object.hasOwn(entry, 'value')) return walk(entry, mode, depth);
  const copy = walk(entry, mode, depth) as Record<string, unknown>;
  const value = entry['value'];
  return Object.fromEntries(
    Object.entries(copy).map(([k, v]) => [
      k,
      k === 'value'
        ? redactionToken('env', typeof value === 'string' ? value : (JSON.stringify(value) ?? ''))
        : v,
    ]),
  );
}

function redactAnnotations(
  annotations: Record<string, unknown>,
  mode: RedactionMode,
  depth: number,
): unknown {
  return Object.fromEntries(
    Object.entries(annotations).map(([k, v]) => {
      if (typeof v !== 'string') return [k, walk(v, mode, depth)];
      if (k === LAST_APPLIED) return [k, redactedBody('last-applied-configuration', v)];
      return [k, redactText(v, mode)];
    }),
  );
}

function walkArray(values: readonly unknown[], mode: RedactionMode, depth: number): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < values.length; i++) {
    const previous = values[i - 1];
    const current = values[i];
    if (typeof previous === 'string' && typeof current === 'string' && SECRET_FLAG.test(previous))
      out.push(redactionToken('cli-argument', current));
    else out.push(walk(current, mode, depth + 1));
  }
  return out;
}
