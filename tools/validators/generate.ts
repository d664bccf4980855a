import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formatsPlugin from 'ajv-formats';
import standaloneModule from 'ajv/dist/standalone/index.js';

/**
 * ajv standalone code for the JSON schemas the rule loader checks, so no process compiles a schema
 * when it starts (ajv compiling these took about a third of a second of every CLI start). The
 * output is committed beside each schema; `npm run build` regenerates it and a test checks it.
 */

/** Each schema and the module generated from it, relative to the repository. */
export const VALIDATORS = [
  {
    schema: 'src/sigma/rule-schema.json',
    module: 'src/sigma/rule-schema.generated.ts',
    name: 'validateRuleDocument',
  },
  {
    schema: 'src/rules/overrides-schema.json',
    module: 'src/rules/overrides-schema.generated.ts',
    name: 'validateOverrides',
  },
  {
    schema: 'src/rules/exceptions-schema.json',
    module: 'src/rules/exceptions-schema.generated.ts',
    name: 'validateExceptions',
  },
] as const;

// Both are CommonJS; under NodeNext their callable export is the module itself.
const addFormats = formatsPlugin as unknown as (ajv: Ajv2020) => Ajv2020;
const standaloneCode = standaloneModule as unknown as (ajv: Ajv2020, validate: unknown) => string;

/** The text of every generated module, keyed by its path relative to `root`. */
export async function generateValidators(root: string): Promise<Map<string, string>> {
  const modules = new Map<string, string>();
  for (const { schema, module, name } of VALIDATORS) {
    const ajv = new Ajv2020({
      allErrors: true,
      strict: true,
      strictRequired: false,
      allowUnionTypes: true,
      code: { source: true, esm: true },
    });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(await readFile(join(root, schema), 'utf8')) as object);
    modules.set(module, moduleText(schema, name, standaloneCode(ajv, validate)));
  }
  return modules;
}

/**
 * ajv's ESM output still calls require() for its runtime helpers (ajv-validator/ajv#2209), which
 * an ES module does not have: turn each into an import. Node hands a CommonJS module's exports
 * object to a default import, while bundlers and vitest may hand over its `default` export, so
 * the generated code accepts either.
 */
function moduleText(schema: string, name: string, code: string): string {
  const imports = new Map<string, string>();
  let entry: string | undefined;
  const body = code
    .replace(/^"use strict";/, '')
    .replace(/export const validate = (\w+);export default \w+;/, (_, fn: string) => {
      entry = fn;
      return '';
    })
    .replace(/require\("([^"]+)"\)\.default/g, (_, specifier: string) => {
      const local = `runtime${imports.size}`;
      imports.set(`${specifier}.js`, local);
      return `(typeof ${local} === 'function' ? ${local} : ${local}.default)`;
    });
  if (/\brequire\(/.test(body))
    throw new Error(`ajv standalone output for ${schema} calls require() in a new way`);
  if (entry === undefined) throw new Error(`ajv standalone output for ${schema} has no validate export`);
  return [
    `// Generated from ${schema} by tools/validators (npm run build): ajv standalone code. Do not edit.`,
    '// @ts-nocheck',
    "import type { ValidateFunction } from 'ajv';",
    ...[...imports].map(([specifier, local]) => `import ${local} from '${specifier}';`),
    body,
    `export const ${name}: ValidateFunction = ${entry};`,
    '',
  ].join('\n');
}
