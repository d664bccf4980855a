/** Where in a rule file a problem was found. `yamlPath` is dotted, e.g. `detection.selection.operationName|startswith[1]`. */
export interface RuleLocation {
  readonly file: string;
  readonly yamlPath: string;
  readonly line?: number;
  readonly column?: number;
}

export type DiagnosticCode =
  | 'yaml-syntax'
  | 'schema'
  | 'unsupported-feature'
  | 'invalid-modifier'
  | 'invalid-value'
  | 'invalid-regex'
  | 'condition-syntax'
  | 'unknown-identifier'
  | 'duplicate-id'
  | 'metadata'
  | 'regex-dialect'
  | 'unknown-field'
  | 'object-field';

export interface RuleDiagnostic {
  readonly code: DiagnosticCode;
  /**
   * Absent for an error, which keeps the file's rules from loading. A warning (metadata, regex
   * dialect, a field the source never has) is reported and the rule loads: only detection and logsource decide what matches.
   */
  readonly severity?: 'warning';
  readonly message: string;
  readonly location: RuleLocation;
  /** Set for `unsupported-feature`: the Sigma feature this engine does not implement. */
  readonly feature?: string;
  /** True when the Sigma specification itself marks the feature optional for a tool. */
  readonly optionalInSpec?: boolean;
}

/** Thrown while compiling one rule; the loader turns it into a diagnostic for that file. */
export class SigmaRuleError extends Error {
  constructor(
    readonly code: DiagnosticCode,
    message: string,
    readonly yamlPath: readonly (string | number)[],
    readonly feature?: string,
    readonly optionalInSpec?: boolean,
  ) {
    super(message);
    this.name = 'SigmaRuleError';
  }
}

export function formatYamlPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out === '' ? '(document)' : out;
}

export function isError(d: RuleDiagnostic): boolean {
  return d.severity !== 'warning';
}

export function formatDiagnostic(d: RuleDiagnostic): string {
  const where =
    d.location.line === undefined
      ? d.location.file
      : `${d.location.file}:${d.location.line}:${d.location.column ?? 1}`;
  return `${where}: ${d.severity === 'warning' ? 'warning: ' : ''}${d.location.yamlPath}: ${d.message}`;
}
