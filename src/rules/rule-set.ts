import { compileRule, type CompiledRule } from '../sigma/compile-rule.js';
import { SigmaRuleError, isError, type RuleDiagnostic } from '../sigma/diagnostics.js';
import { errorText } from '../util/error-text.js';
import { isRecord } from '../util/is-record.js';
import { parseRule } from '../sigma/parse-rule.js';
import { parseRuleFile, ruleFileFromValues, type RuleDocument } from '../sigma/rule-document.js';
import type { SigmaRule } from '../sigma/rule.js';
import { checkRuleSchema, schemaProblems } from '../sigma/validate.js';
import { validateExceptions } from './exceptions-schema.generated.js';
import { validateOverrides } from './overrides-schema.generated.js';
import { ruleWarnings } from '../sigma/rule-warnings.js';
import { describeLogsource, type SourceKind } from '../sources/source-kind.js';
import { SOURCE_KINDS, SOURCES, sourceForLogsource } from '../sources/sources.js';
import { fieldWarnings } from './field-warnings.js';
import { ruleMetadata, type MetadataOverride } from './metadata.js';
import { compileException, type CompiledException, type ExceptionDefinition } from './exceptions.js';
import { buildPrefilter } from './build-prefilter.js';
import type { Prefilter } from '../prefilter/prefilter.js';
import type { ActiveRule } from './active-rule.js';

/** Every rule compiled once at start-up, grouped by the source it runs on. Frozen. */
export interface RuleSet {
  readonly bySource: ReadonlyMap<SourceKind, readonly ActiveRule[]>;
  readonly active: readonly ActiveRule[];
  readonly exceptions: readonly CompiledException[];
  readonly prefilter: Prefilter;
  /** Rule files that did not load; the rest run without them, and summaries count them. */
  readonly notLoaded: readonly string[];
}

export interface RuleFileInput {
  readonly path: string;
  readonly text: string;
  /** The values of the file's YAML documents, when parsed before from exactly `text`. */
  readonly values?: readonly unknown[];
}

export type RuleFileStatus = 'active' | 'inactive' | 'overrides' | 'exceptions' | 'error';

export interface RuleFileReport {
  readonly file: string;
  readonly status: RuleFileStatus;
  readonly rules: readonly {
    readonly id: string | undefined;
    readonly title: string;
    readonly logsource: string;
    readonly source: SourceKind | undefined;
  }[];
  readonly diagnostics: readonly RuleDiagnostic[];
  readonly exceptions: readonly CompiledException[];
}

export interface RuleSetBuild {
  readonly ruleSet: RuleSet;
  readonly files: readonly RuleFileReport[];
}

interface CompiledFile {
  readonly file: string;
  readonly diagnostics: RuleDiagnostic[];
  readonly rules: { rule: SigmaRule; compiled: CompiledRule }[];
  readonly overrides: MetadataOverride[];
  readonly exceptions: CompiledException[];
  kind: 'rules' | 'overrides' | 'exceptions';
}

/** Compiles rule files collecting every diagnostic (for `rules lint`); callers decide whether errors are fatal. */
export function buildRuleSet(inputs: readonly RuleFileInput[]): RuleSetBuild {
  const compiledFiles: CompiledFile[] = [];
  for (const input of inputs) {
    const file: CompiledFile = {
      file: input.path,
      diagnostics: [],
      rules: [],
      overrides: [],
      exceptions: [],
      kind: 'rules',
    };
    try {
      compileFile(input, file);
    } catch (error) {
      // One hostile file (say, YAML nested deep enough to exhaust the stack) costs only itself.
      file.rules.length = 0;
      const reason = errorText(error);
      file.diagnostics.push({
        code: 'yaml-syntax',
        message: `cannot be read: ${reason}`,
        location: { file: input.path, yamlPath: '(document)' },
      });
    }
    compiledFiles.push(file);
  }
  return assemble(compiledFiles);
}

function compileFile(input: RuleFileInput, file: CompiledFile): void {
  const parsed =
    input.values === undefined
      ? parseRuleFile(input.text, input.path)
      : ruleFileFromValues(input.text, input.path, input.values);
  if (!parsed.ok) {
    file.diagnostics.push({ code: 'yaml-syntax', message: parsed.message, location: parsed.location });
  } else if (parsed.documents.length === 0 && /(^|\/)exceptions\.ya?ml$/i.test(input.path)) {
    // An exceptions file holding only commented-out examples is valid and suppresses nothing.
    file.kind = 'exceptions';
  } else {
    for (const document of parsed.documents) {
      const value = document.value;
      if (isRecord(value) && Object.hasOwn(value, 'overrides') && !Object.hasOwn(value, 'detection')) {
        file.kind = 'overrides';
        file.overrides.push(...readOverrides(document, file.diagnostics));
      } else if (
        isRecord(value) &&
        Object.hasOwn(value, 'exceptions') &&
        !Object.hasOwn(value, 'detection')
      ) {
        file.kind = 'exceptions';
        file.exceptions.push(...readExceptions(document, input.path, file.diagnostics));
      } else {
        const rule = compileDocument(document, input.path, file.diagnostics);
        if (rule !== undefined) file.rules.push(rule);
      }
    }
  }
}

function assemble(compiledFiles: CompiledFile[]): RuleSetBuild {
  const exceptions = collectExceptions(compiledFiles);
  const overridesById = new Map<string, MetadataOverride>();
  for (const file of compiledFiles) for (const o of file.overrides) overridesById.set(o.rule, o);
  const seenIds = new Map<string, string>();
  for (const file of compiledFiles) {
    for (const { rule } of file.rules) {
      if (rule.id === undefined) continue;
      const first = seenIds.get(rule.id);
      if (first !== undefined) {
        file.diagnostics.push({
          code: 'duplicate-id',
          message: `rule id ${rule.id} is also used by ${first}`,
          location: { file: file.file, yamlPath: 'id' },
        });
      } else {
        seenIds.set(rule.id, file.file);
      }
    }
  }
  // An override naming a rule nobody loaded is most likely a typo: an error of its file.
  for (const file of compiledFiles) {
    for (const override of file.overrides) {
      if (!seenIds.has(override.rule)) {
        file.diagnostics.push({
          code: 'unknown-identifier',
          message: `metadata override for rule ${override.rule}, which no loaded rule has`,
          location: { file: file.file, yamlPath: 'overrides' },
        });
      }
    }
  }

  const active: ActiveRule[] = [];
  const reports: RuleFileReport[] = [];
  for (const file of compiledFiles) {
    const ok = !file.diagnostics.some(isError);
    const ruleSummaries = file.rules.map(({ rule }) => ({
      id: rule.id,
      title: rule.title,
      logsource: describeLogsource(rule.logsource),
      source: sourceForLogsource(rule.logsource),
    }));
    if (ok) {
      for (const { rule, compiled } of file.rules) {
        const source = sourceForLogsource(rule.logsource);
        if (source === undefined) continue;
        active.push(
          Object.freeze({
            compiled,
            source,
            metadata: ruleMetadata(rule, rule.id === undefined ? undefined : overridesById.get(rule.id)),
          }),
        );
      }
    }
    const status: RuleFileStatus = !ok
      ? 'error'
      : file.kind !== 'rules' && file.rules.length === 0
        ? file.kind
        : ruleSummaries.some((r) => r.source !== undefined)
          ? 'active'
          : 'inactive';
    reports.push({
      file: file.file,
      status,
      rules: ruleSummaries,
      diagnostics: file.diagnostics,
      exceptions: file.exceptions,
    });
  }

  const bySource = new Map<SourceKind, readonly ActiveRule[]>(
    SOURCE_KINDS.map((kind) => [kind, Object.freeze(active.filter((r) => r.source === kind))]),
  );
  const prefilter = buildPrefilter(bySource);
  const notLoaded = Object.freeze(reports.filter((r) => r.status === 'error').map((r) => r.file));
  return {
    ruleSet: Object.freeze({
      bySource,
      active: Object.freeze(active),
      exceptions: Object.freeze(exceptions),
      prefilter,
      notLoaded,
    }),
    files: reports,
  };
}

/** Exception ids name suppressions in reports, so they must be unique across files. */
function collectExceptions(files: readonly CompiledFile[]): CompiledException[] {
  const seen = new Map<string, string>();
  const out: CompiledException[] = [];
  for (const file of files) {
    if (file.diagnostics.some(isError)) continue;
    for (const exception of file.exceptions) {
      const first = seen.get(exception.id);
      if (first !== undefined) {
        file.diagnostics.push({
          code: 'duplicate-id',
          message: `exception id "${exception.id}" is also used in ${first}`,
          location: { file: file.file, yamlPath: 'exceptions' },
        });
        continue;
      }
      seen.set(exception.id, file.file);
      out.push(exception);
    }
  }
  return out;
}

function compileDocument(
  document: RuleDocument,
  file: string,
  diagnostics: RuleDiagnostic[],
): { rule: SigmaRule; compiled: CompiledRule } | undefined {
  const value = document.value;
  const unsupported = unsupportedDocumentKind(value);
  if (unsupported !== undefined) {
    diagnostics.push({
      code: 'unsupported-feature',
      message: unsupported.message,
      feature: unsupported.feature,
      optionalInSpec: true,
      location: document.locate([unsupported.key]),
    });
    return undefined;
  }
  let failed = false;
  for (const problem of checkRuleSchema(value)) {
    // Metadata is not logic: only detection, logsource and a title (findings carry it) are errors.
    const [key] = problem.path;
    const metadata = key !== undefined && key !== 'detection' && key !== 'logsource' && key !== 'title';
    failed ||= !metadata;
    diagnostics.push({
      code: metadata ? 'metadata' : 'schema',
      ...(metadata ? { severity: 'warning' as const } : {}),
      message: problem.message,
      location: document.locate(problem.path),
    });
  }
  if (failed) return undefined;
  try {
    const rule = parseRule(value as Record<string, unknown>, file);
    const compiled = compileRule(rule);
    for (const warning of ruleWarnings(rule))
      diagnostics.push({
        code: 'regex-dialect',
        severity: 'warning',
        message: warning.message,
        location: document.locate(warning.yamlPath),
      });
    const source = SOURCES.find((s) => s.matchesLogsource(rule.logsource));
    for (const warning of source === undefined ? [] : fieldWarnings(rule, source))
      diagnostics.push({
        code: warning.code,
        severity: 'warning',
        message: warning.message,
        location: document.locate(warning.yamlPath),
      });
    return { rule, compiled };
  } catch (error) {
    if (!(error instanceof SigmaRuleError)) throw error;
    diagnostics.push({
      code: error.code,
      message: error.message,
      location: document.locate(error.yamlPath),
      ...(error.feature === undefined
        ? {}
        : { feature: error.feature, optionalInSpec: error.optionalInSpec ?? false }),
    });
    return undefined;
  }
}

function unsupportedDocumentKind(
  value: unknown,
): { key: string; feature: string; message: string } | undefined {
  if (!isRecord(value)) return undefined;
  if (Object.hasOwn(value, 'correlation'))
    return {
      key: 'correlation',
      feature: 'correlation rules',
      message: 'Sigma correlation rules need state across events; this engine evaluates single events',
    };
  if (Object.hasOwn(value, 'action'))
    return {
      key: 'action',
      feature: 'rule collections (action: global/reset/repeat)',
      message:
        'multi-document rule collections are a Sigma 1.0 feature this engine does not expand; write one rule per document',
    };
  if (Object.hasOwn(value, 'filter') && !Object.hasOwn(value, 'detection'))
    return {
      key: 'filter',
      feature: 'Sigma filters',
      message: 'Sigma filters are not evaluated by this engine; use the exceptions file',
    };
  return undefined;
}

function readExceptions(
  document: RuleDocument,
  file: string,
  diagnostics: RuleDiagnostic[],
): CompiledException[] {
  if (!validateExceptions(document.value)) {
    for (const problem of schemaProblems(validateExceptions.errors ?? [])) {
      diagnostics.push({ code: 'schema', message: problem.message, location: document.locate(problem.path) });
    }
    return [];
  }
  const definitions = (document.value as { exceptions: ExceptionDefinition[] | null }).exceptions ?? [];
  return definitions.map((definition) => compileException(definition, file));
}

function readOverrides(document: RuleDocument, diagnostics: RuleDiagnostic[]): MetadataOverride[] {
  if (validateOverrides(document.value))
    return (document.value as { overrides: MetadataOverride[] }).overrides;
  for (const problem of schemaProblems(validateOverrides.errors ?? [])) {
    diagnostics.push({ code: 'schema', message: problem.message, location: document.locate(problem.path) });
  }
  return [];
}
