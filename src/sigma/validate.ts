import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import formatsPlugin from 'ajv-formats';
import ruleSchema from './rule-schema.json' with { type: 'json' };

/** ajv-formats is CommonJS; under NodeNext its callable export is the module itself. */
const addFormats = formatsPlugin as unknown as (ajv: Ajv2020) => Ajv2020;

export function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
  addFormats(ajv);
  return ajv;
}

const validateRuleDocument = createAjv().compile(ruleSchema);

export interface SchemaProblem {
  readonly path: (string | number)[];
  readonly message: string;
}

export function checkRuleSchema(document: unknown): SchemaProblem[] {
  if (validateRuleDocument(document)) return [];
  return schemaProblems(validateRuleDocument.errors ?? []);
}

/** Keeps the most specific error per location: `oneOf` branches otherwise bury the real cause. */
export function schemaProblems(errors: readonly ErrorObject[]): SchemaProblem[] {
  const byPath = new Map<string, SchemaProblem>();
  for (const error of errors) {
    const path = error.instancePath
      .split('/')
      .slice(1)
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    const detail = error.keyword === 'additionalProperties' ? ` ("${String(error.params['additionalProperty'])}")` : error.keyword === 'enum' ? ` (${(error.params['allowedValues'] as unknown[]).join(', ')})` : '';
    const key = path.join('/');
    if (!byPath.has(key) || error.keyword === 'required') byPath.set(key, { path, message: `${error.message ?? error.keyword}${detail}` });
  }
  return [...byPath.values()];
}
