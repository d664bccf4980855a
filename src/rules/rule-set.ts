import { compileRule, type CompiledRule } from '../sigma/compile-rule.js';
import { SigmaRuleError, type RuleDiagnostic } from '../sigma/diagnostics.js';
import { isRecord } from '../util/is-record.js';
import { parseRule } from '../sigma/parse-rule.js';
import { parseRuleFile, type RuleDocument } from '../sigma/rule-document.js';
import type { SigmaRule } from '../sigma/rule.js';
import { checkRuleSchema, createAjv, schemaProblems } from '../sigma/validate.js';
import { describeLogsource, type SourceKind } from '../sources/source-kind.js';
import { SOURCE_KINDS, sourceForLogsource } from '../sources/sources.js';
import { ruleMetadata, type MetadataOverride } from './metadata.js';
import { compileException, type CompiledException, type ExceptionDefinition } from './exceptions.js';
import exceptionsSchema from './exceptions-schema.json' with { type: 'json' };
import overridesSchema from './overrides-schema.json' with { type: 'json' };
import { buildPrefilter } from './build-prefilter.js';
import type { Prefilter } from '../prefilter/prefilter.js';
import type { ActiveRule } from './active-rule.js';

/** Every rule compiled once at start-up, grouped by the source it runs on. Frozen. */
export interface RuleSet {
  readonly bySource: ReadonlyMap<SourceKind, readonly ActiveRule[]>;
  readonly active: readonly ActiveRule[];
  readonly exceptions: readonly CompiledException[];
  readonly prefilter: Prefilter;
}

export interface RuleFileInput {
  readonly path: string;
  readonly text: string;
}

export type RuleFileStatus = 'active' | 'inactive' | 'overrides' | 'exceptions' | 'error';

export interface RuleFileReport {
  readonly file: string;
  readonly status: RuleFileStatus;
  readonly rules: readonly { readonly id: string | undefined; readonly title: string; readonly logsource: string; readonly source: SourceKind | undefined }[];
  readonly diagnostics: readonly RuleDiagnostic[];
  readonly exceptions: readonly CompiledException[];
}

export interface RuleSetBuild {
  readonly ruleSet: RuleSet;
  readonly files: readonly RuleFileReport[];
}

const validateOverrides = createAjv().compile(overridesSchema);
const validateExceptions = createAjv().compile(exceptionsSchema);

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
  const files = inputs.map(compileFile);
  const exceptions = collectExceptions(files);
  const ruleFiles = checkRuleIds(files);
  checkOverrideTargets(files, ruleFiles);
  const overridesById = new Map<string, MetadataOverride>();
  for (const file of files) for (const o of file.overrides) overridesById.set(o.rule, o);
  const active = files.flatMap((file) => activeRules(file, overridesById));
  const bySource = new Map<SourceKind, readonly ActiveRule[]>(
    SOURCE_KINDS.map((kind) => [kind, Object.freeze(active.filter((r) => r.source === kind))]),
  );
  const prefilter = buildPrefilter(bySource);
  return {
    ruleSet: Object.freeze({
      bySource,
      active: Object.freeze(active),
      exceptions: Object.freeze(exceptions),
      prefilter,
    }),
    files: files.map(fileReport),
  };
}

/** Parses one file and compiles each of its documents: rules, metadata overrides or exceptions. */
function compileFile(input: RuleFileInput): CompiledFile {
  const file: CompiledFile = {
    file: input.path,
    diagnostics: [],
    rules: [],
    overrides: [],
    exceptions: [],
    kind: 'rules',
  };
  const parsed = parseRuleFile(input.text, input.path);
  if (!parsed.ok) {
    file.diagnostics.push({ code: 'yaml-syntax', message: parsed.message, location: parsed.location });
    return file;
  }
  if (parsed.documents.length === 0 && /(^|\/)exceptions\.ya?ml$/i.test(input.path)) {
    // An exceptions file holding only commented-out examples is valid and suppresses nothing.
    file.kind = 'exceptions';
    return file;
  }
  for (const document of parsed.documents) {
    const value = document.value;
    if (isRecord(value) && Object.hasOwn(value, 'overrides') && !Object.hasOwn(value, 'detection')) {
      file.kind = 'overrides';
      file.overrides.push(...readOverrides(document, file.diagnostics));
    } else if (isRecord(value) && Object.hasOwn(value, 'exceptions') && !Object.hasOwn(value, 'detection')) {
      file.kind = 'exceptions';
      file.exceptions.push(...readExceptions(document, input.path, file.diagnostics));
    } else {
      const rule = compileDocument(document, input.path, file.diagnostics);
      if (rule !== undefined) file.rules.push(rule);
    }
  }
  return file;
}

/** Rule ids name rules in findings and overrides, so they must be unique; gives each id's file. */
function checkRuleIds(files: readonly CompiledFile[]): Map<string, string> {
  const seenIds = new Map<string, string>();
  for (const file of files) {
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
  return seenIds;
}

/** An override naming a rule nobody loaded is most likely a typo: an error of its file. */
function checkOverrideTargets(files: readonly CompiledFile[], ruleIds: ReadonlyMap<string, string>): void {
  for (const file of files) {
    for (const override of file.overrides) {
      if (!ruleIds.has(override.rule)) {
        file.diagnostics.push({
          code: 'unknown-identifier',
          message: `metadata override for rule ${override.rule}, which no loaded rule has`,
          location: { file: file.file, yamlPath: 'overrides' },
        });
      }
    }
  }
}

/** The rules of a file without errors that run on some source, with their metadata. */
function activeRules(file: CompiledFile, overridesById: ReadonlyMap<string, MetadataOverride>): ActiveRule[] {
  if (file.diagnostics.length > 0) return [];
  return file.rules.flatMap(({ rule, compiled }) => {
    const source = sourceForLogsource(rule.logsource);
    if (source === undefined) return [];
    const override = rule.id === undefined ? undefined : overridesById.get(rule.id);
    return [Object.freeze({ compiled, source, metadata: ruleMetadata(rule, override) })];
  });
}

function fileReport(file: CompiledFile): RuleFileReport {
  const rules = file.rules.map(({ rule }) => ({
    id: rule.id,
    title: rule.title,
    logsource: describeLogsource(rule.logsource),
    source: sourceForLogsource(rule.logsource),
  }));
  const status: RuleFileStatus =
    file.diagnostics.length > 0
      ? 'error'
      : file.kind !== 'rules' && file.rules.length === 0
        ? file.kind
        : rules.some((r) => r.source !== undefined)
          ? 'active'
          : 'inactive';
  return { file: file.file, status, rules, diagnostics: file.diagnostics, exceptions: file.exceptions };
}

/** Exception ids name suppressions in reports, so they must be unique across files. */
function collectExceptions(files: readonly CompiledFile[]): CompiledException[] {
  const seen = new Map<string, string>();
  const out: CompiledException[] = [];
  for (const file of files) {
    if (file.diagnostics.length > 0) continue;
    for (const exception of file.exceptions) {
      const first = seen.get(exception.id);
      if (first !== undefined) {
        file.diagnostics.push({ code: 'duplicate-id', message: `exception id "${exception.id}" is also used in ${first}`, location: { file: file.file, yamlPath: 'exceptions' } });
        continue;
      }
      seen.set(exception.id, file.file);
      out.push(exception);
    }
  }
  return out;
}

function compileDocument(document: RuleDocument, file: string, diagnostics: RuleDiagnostic[]): { rule: SigmaRule; compiled: CompiledRule } | undefined {
  const value = document.value;
  const unsupported = unsupportedDocumentKind(value);
  if (unsupported !== undefined) {
    diagnostics.push({ code: 'unsupported-feature', message: unsupported.message, feature: unsupported.feature, optionalInSpec: true, location: document.locate([unsupported.key]) });
    return undefined;
  }
  const problems = checkRuleSchema(value);
  if (problems.length > 0) {
    for (const problem of problems) diagnostics.push({ code: 'schema', message: problem.message, location: document.locate(problem.path) });
    return undefined;
  }
  try {
    const rule = parseRule(value as Record<string, unknown>, file);
    return { rule, compiled: compileRule(rule) };
  } catch (error) {
    if (!(error instanceof SigmaRuleError)) throw error;
    diagnostics.push({
      code: error.code,
      message: error.message,
      location: document.locate(error.yamlPath),
      ...(error.feature === undefined ? {} : { feature: error.feature, optionalInSpec: error.optionalInSpec ?? false }),
    });
    return undefined;
  }
}

function unsupportedDocumentKind(value: unknown): { key: string; feature: string; message: string } | undefined {
  if (!isRecord(value)) return undefined;
  if (Object.hasOwn(value, 'correlation')) return { key: 'correlation', feature: 'correlation rules', message: 'Sigma correlation rules need state across events; this engine evaluates single events' };
  if (Object.hasOwn(value, 'action')) return { key: 'action', feature: 'rule collections (action: global/reset/repeat)', message: 'multi-document rule collections are a Sigma 1.0 feature this engine does not expand; write one rule per document' };
  if (Object.hasOwn(value, 'filter') && !Object.hasOwn(value, 'detection')) return { key: 'filter', feature: 'Sigma filters', message: 'Sigma filters are not evaluated by this engine; use the exceptions file' };
  return undefined;
}

function readExceptions(document: RuleDocument, file: string, diagnostics: RuleDiagnostic[]): CompiledException[] {
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
  if (validateOverrides(document.value)) return (document.value as { overrides: MetadataOverride[] }).overrides;
  for (const problem of schemaProblems(validateOverrides.errors ?? [])) {
    diagnostics.push({ code: 'schema', message: problem.message, location: document.locate(problem.path) });
  }
  return [];
}
