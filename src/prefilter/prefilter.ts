import type { SourceKind } from '../sources/source-kind.js';
import { FOLD_HAZARDS, FOLD_HAZARDS_LATIN1 } from './fold-hazards.js';

/** Per source: off (with why), or the literal requirement of each rule, any of which lets a body through. */
export type SourcePrefilter =
  | { readonly state: 'off'; readonly reason: string }
  | { readonly state: 'on'; readonly gate: string; readonly rules: readonly (readonly (readonly string[])[])[] };

/**
 * Decides from the raw bytes of an Event Hub body, before any parsing, whether it can hold a
 * record some active rule matches. Exact: it only ever skips bodies that cannot match. A body
 * with a `\\u` escape or a character that case-folds into ASCII falls back to a full parse.
 */
export class Prefilter {
  private readonly body: BodyTest | undefined;
  private readonly auditLog: BodyTest | undefined;

  constructor(readonly sources: ReadonlyMap<SourceKind, SourcePrefilter>) {
    const active = [...sources.values()];
    // One source that cannot be prefiltered means every body must be parsed.
    this.body = active.some((s) => s.state === 'off') ? undefined : compileTest(active.flatMap((s) => (s.state === 'on' ? s.rules.map((clauses) => [[s.gate], ...clauses]) : [])));
    const audit = sources.get('KubeAudit');
    this.auditLog = audit?.state === 'on' ? compileTest(audit.rules) : undefined;
  }

  get enabled(): boolean {
    return this.body !== undefined;
  }

  /** False only when no active rule can match any record of this body. */
  mayMatchBody(body: Uint8Array | string): boolean {
    if (this.body === undefined) return true;
    if (typeof body === 'string') return this.body.test(body, FOLD_HAZARDS);
    const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    return this.body.test(bytes.toString('latin1'), FOLD_HAZARDS_LATIN1);
  }

  /** The same for the audit Event text in a kube-audit record's `properties.log`, before it is parsed. */
  mayMatchAuditLog(log: string): boolean {
    return this.auditLog === undefined ? true : this.auditLog.test(log, FOLD_HAZARDS);
  }
}

/** Characters no prefilter literal contains, which encoders commonly write as `\u` escapes. */
const HARMLESS_ESCAPES = '<>&\u2028\u2029';

interface BodyTest {
  test(text: string, hazards: readonly string[]): boolean;
}

/** Alternatives of conjunctions of clauses; each clause is one case-insensitive alternation. */
function compileTest(alternatives: readonly (readonly (readonly string[])[])[]): BodyTest {
  const compiled = alternatives.map((clauses) => clauses.map((literals) => new RegExp(literals.map(escape).join('|'), 'i')));
  const unicodeEscape = /\\u([0-9a-fA-F]{4})/g;
  return {
    test(text, hazards) {
      if (text.includes('\\u')) {
        // An escape may spell part of a literal; only those that cannot (Go's \u003c and kin) are let be.
        unicodeEscape.lastIndex = 0;
        for (let m = unicodeEscape.exec(text); m !== null; m = unicodeEscape.exec(text)) {
          if (!HARMLESS_ESCAPES.includes(String.fromCharCode(parseInt(m[1] as string, 16)))) return true;
        }
      }
      for (const hazard of hazards) if (text.includes(hazard)) return true;
      return compiled.some((clauses) => clauses.every((re) => re.test(text)));
    },
  };
}


function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
