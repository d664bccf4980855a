import { isRecord } from '../../util/is-record.js';

/** Array indexes beyond this are appended instead of padding a sparse array an attacker sized. */
const MAX_INDEX = 1024;
/** A pod-spec field is a dozen segments deep; deeper operations are reported, not replayed. */
const MAX_SEGMENTS = 64;

export interface PartialDocument {
  readonly document: Record<string, unknown>;
  /** Operations not replayed because their path is deeper than the bound, or undefined. */
  readonly truncated: string | undefined;
}

/**
 * Replays the `add` and `replace` operations of a JSON Patch (RFC 6902) onto an empty document,
 * so the fields a patch sets can be read like those of a merge patch. Removals set nothing.
 */
export function jsonPatchToPartialDocument(operations: readonly unknown[]): PartialDocument {
  const root: Record<string, unknown> = {};
  let tooDeep = 0;
  for (const operation of operations) {
    if (!isRecord(operation) || (operation['op'] !== 'add' && operation['op'] !== 'replace')) continue;
    const path = operation['path'];
    if (typeof path !== 'string' || !path.startsWith('/')) continue;
    const segments = path.slice(1).split('/');
    if (segments.length > MAX_SEGMENTS) {
      tooDeep++;
      continue;
    }
    setAt(
      root,
      segments.map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')),
      operation['value'],
    );
  }
  const truncated =
    tooDeep === 0
      ? undefined
      : `JSON Patch: ${tooDeep} of ${operations.length} operations deeper than ${MAX_SEGMENTS} segments, not replayed`;
  return { document: root, truncated };
}

function setAt(root: Record<string, unknown>, segments: readonly string[], value: unknown): void {
  let node: Record<string, unknown> | unknown[] = root;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as string;
    const last = i === segments.length - 1;
    const nextIsIndex = !last && /^(\d+|-)$/.test(segments[i + 1] as string);
    if (Array.isArray(node)) {
      // `-` (RFC 6901's past-the-end) is no index either, so it appends too.
      const index = !/^\d+$/.test(segment) || Number(segment) >= MAX_INDEX ? node.length : Number(segment);
      if (last) {
        node[index] = value;
        return;
      }
      const existing = node[index];
      node[index] = isRecord(existing) || Array.isArray(existing) ? existing : nextIsIndex ? [] : {};
      node = node[index] as Record<string, unknown> | unknown[];
    } else {
      if (last) {
        // defineProperty keeps a `__proto__` segment an ordinary key.
        Object.defineProperty(node, segment, { value, enumerable: true, writable: true, configurable: true });
        return;
      }
      const existing: unknown = Object.hasOwn(node, segment) ? node[segment] : undefined;
      const child: Record<string, unknown> | unknown[] =
        isRecord(existing) || Array.isArray(existing) ? existing : nextIsIndex ? [] : {};
      Object.defineProperty(node, segment, {
        value: child,
        enumerable: true,
        writable: true,
        configurable: true,
      });
      node = child;
    }
  }
}
