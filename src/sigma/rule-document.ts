import { LineCounter, parseAllDocuments, isMap, isNode, isScalar, isSeq, type Document } from 'yaml';
import type { RuleLocation } from './diagnostics.js';
import { formatYamlPath } from './diagnostics.js';

/** One YAML document of a rule file, with a way to turn a YAML path into a line and column. */
export interface RuleDocument {
  readonly value: unknown;
  locate(path: readonly (string | number)[]): RuleLocation;
}

export type ParsedRuleFile =
  | { readonly ok: true; readonly documents: readonly RuleDocument[] }
  | { readonly ok: false; readonly location: RuleLocation; readonly message: string };

export function parseRuleFile(text: string, file: string): ParsedRuleFile {
  const parsed = parseYaml(text);
  for (const doc of parsed.docs) {
    const [error] = doc.errors;
    if (error !== undefined) {
      const pos = parsed.lineCounter.linePos(error.pos[0]);
      // The yaml parser turns a stack overflow on hostile nesting into a document error.
      const reason = /call stack/i.test(error.message)
        ? 'nested too deeply to parse'
        : (error.message.split('\n')[0] ?? error.code);
      return {
        ok: false,
        message: `YAML syntax: ${reason}`,
        location: { file, yamlPath: '(document)', line: pos.line, column: pos.col },
      };
    }
  }
  const documents = parsed.docs
    .filter((doc) => doc.contents !== null)
    .map((doc): RuleDocument => ({
      value: doc.toJS({ maxAliasCount: 100 }),
      locate: (path) => locate(doc, parsed.lineCounter, file, path),
    }));
  return { ok: true, documents };
}

/**
 * The documents of a rule file from the values `parseRuleFile` gave for this very text before
 * (a build-time cache of the bundled rules): YAML parsing, mostly the `yaml` library running cold,
 * was the larger half of loading them. The text is parsed only if a location is asked for.
 */
export function ruleFileFromValues(text: string, file: string, values: readonly unknown[]): ParsedRuleFile {
  let parsed: ParsedYaml | undefined;
  const docs = (): Document[] => (parsed ??= parseYaml(text)).docs.filter((doc) => doc.contents !== null);
  return {
    ok: true,
    documents: values.map((value, index): RuleDocument => ({
      value,
      locate: (path) => {
        const doc = docs()[index];
        return doc === undefined || parsed === undefined
          ? { file, yamlPath: formatYamlPath(path) }
          : locate(doc, parsed.lineCounter, file, path);
      },
    })),
  };
}

interface ParsedYaml {
  readonly docs: Document[];
  readonly lineCounter: LineCounter;
}

function parseYaml(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  return { docs: Array.isArray(docs) ? docs : [], lineCounter };
}

/** Points at the key for a map entry (where a reader looks for a field), or at the list element. */
function locate(
  doc: Document,
  lineCounter: LineCounter,
  file: string,
  path: readonly (string | number)[],
): RuleLocation {
  let node: unknown = doc.contents;
  let anchor: unknown = node;
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(part));
      if (pair === undefined) break;
      anchor = pair.key;
      node = pair.value;
    } else if (isSeq(node) && typeof part === 'number' && node.items[part] !== undefined) {
      node = node.items[part];
      anchor = node;
    } else {
      break;
    }
  }
  const yamlPath = formatYamlPath(path);
  if (isNode(anchor) && anchor.range !== undefined && anchor.range !== null) {
    const pos = lineCounter.linePos(anchor.range[0]);
    return { file, yamlPath, line: pos.line, column: pos.col };
  }
  return { file, yamlPath };
}
