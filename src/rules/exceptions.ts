import type { FindingRow } from '../findings/finding-row.js';
import { parseSigmaString } from '../sigma/sigma-string.js';
import {
  compileStringPattern,
  foldCase,
  testStringPattern,
  type StringPattern,
} from '../sigma/string-pattern.js';
import type { WorkloadFacts } from '../sources/source-record.js';

export interface ExceptionDefinition {
  readonly id: string;
  readonly reason: string;
  readonly expires?: string;
  readonly rules?: readonly string[];
  readonly principals?: readonly string[];
  readonly namespaces?: readonly string[];
  readonly clusters?: readonly string[];
  readonly images?: readonly string[];
}

/** An exception compiled once; every criterion it names must hold, any glob of a criterion may. */
export interface CompiledException {
  readonly id: string;
  readonly reason: string;
  readonly file: string;
  /** The first instant the exception no longer applies, or undefined when it never expires. */
  readonly expiresAt: Date | undefined;
  matches(subject: ExceptionSubject, now: Date): boolean;
}

/** What an exception is checked against: the finding, and the workload it would run. */
export interface ExceptionSubject {
  readonly finding: FindingRow;
  /** The authenticated principal: the Kubernetes user, or the Azure caller and object id. */
  readonly principals: readonly string[];
  readonly workload: WorkloadFacts | undefined;
}

type Globs = readonly StringPattern[];

export function compileException(definition: ExceptionDefinition, file: string): CompiledException {
  const globs = (list: readonly string[] | undefined): Globs | undefined =>
    list?.map((g) => compileStringPattern(parseSigmaString(g), false));
  const rules =
    definition.rules === undefined ? undefined : new Set(definition.rules.map((r) => r.toLowerCase()));
  const principals = globs(definition.principals);
  const namespaces = globs(definition.namespaces);
  const clusters = globs(definition.clusters);
  const images = globs(definition.images);
  const expiresAt =
    definition.expires === undefined
      ? undefined
      : new Date(Date.parse(`${definition.expires}T00:00:00Z`) + 86_400_000);
  return Object.freeze({
    id: definition.id,
    reason: definition.reason,
    file,
    expiresAt,
    matches(subject: ExceptionSubject, now: Date): boolean {
      const { finding } = subject;
      if (expiresAt !== undefined && now >= expiresAt) return false;
      if (rules !== undefined && !rules.has(finding.RuleId.toLowerCase())) return false;
      if (principals !== undefined && !anyMatches(principals, subject.principals)) return false;
      if (namespaces !== undefined && !anyMatches(namespaces, [finding.Namespace])) return false;
      if (clusters !== undefined && !anyMatches(clusters, [finding.ClusterName, finding.ClusterResourceId]))
        return false;
      if (images !== undefined && !everyImageTrusted(images, subject.workload)) return false;
      return true;
    },
  });
}

/**
 * Every image must be trusted: one trusted container must not excuse an untrusted one beside it,
 * so the images must all be known — a body read in full (one not read names no image), with no
 * bound exceeded.
 */
function everyImageTrusted(images: Globs, workload: WorkloadFacts | undefined): boolean {
  if (workload === undefined || workload.truncated.length > 0) return false;
  return workload.images.length > 0 && workload.images.every((image) => anyMatches(images, [image]));
}

function anyMatches(globs: Globs, values: readonly (string | null | undefined)[]): boolean {
  return values.some(
    (value) => typeof value === 'string' && globs.some((glob) => testStringPattern(glob, foldCase(value))),
  );
}
