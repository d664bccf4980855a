import type { CompiledRule } from '../sigma/compile-rule.js';
import type { SourceKind } from '../sources/source-kind.js';
import type { RuleMetadata } from './metadata.js';

/** A rule that compiled and runs on one source, with the metadata its findings carry. */
export interface ActiveRule {
  readonly compiled: CompiledRule;
  readonly source: SourceKind;
  readonly metadata: RuleMetadata;
}
