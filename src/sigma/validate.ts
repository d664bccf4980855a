import type { ErrorObject } from 'ajv';
import { validateRuleDocument } from './rule-schema.generated.js';

export interface SchemaProblem {
  readonly path: (string | number)[];
  readonly message: string;
}

export function checkRuleSchema(document: unknown): SchemaProblem[] {
  if (validateRuleDocument(document)) return [];
  return schemaProblems(validateRuleDocument.errors ?? []);
}

/**
 * One message per location. Errors inside `anyOf`/`oneOf` branches are only alternatives, so they
 * are reported (joined with "or") only where nothing outside a branch failed at that location.
 */
export function schemaProblems(errors: readonly ErrorObject[]): SchemaProblem[] {
  const direct = new Map<string, { path: (string | number)[]; messages: Set<string> }>();
  const alternatives = new Map<string, { path: (string | number)[]; messages: Set<string> }>();
  for (const error of errors) {
    if (error.keyword === 'anyOf' || error.keyword === 'oneOf') continue;
    const path = error.instancePath
      .split('/')
      .slice(1)
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    const target = /\/(anyOf|oneOf)\//.test(error.schemaPath) ? alternatives : direct;
    const key = path.join('/');
    const entry = target.get(key) ?? { path, messages: new Set<string>() };
    entry.messages.add(describe(error));
    target.set(key, entry);
  }
  const problems = [...direct.values()].map(({ path, messages }) => ({
    path,
    message: [...messages].join('; '),
  }));
  for (const [key, { path, messages }] of alternatives) {
    if (!direct.has(key)) problems.push({ path, message: [...messages].join(' or ') });
  }
  return problems;
}

function describe(error: ErrorObject): string {
  if (error.keyword === 'additionalProperties')
    return `${error.message ?? 'unknown property'} ("${String(error.params['additionalProperty'])}")`;
  if (error.keyword === 'enum')
    return `${error.message ?? 'not allowed'} (${(error.params['allowedValues'] as unknown[]).join(', ')})`;
  return error.message ?? error.keyword;
}
