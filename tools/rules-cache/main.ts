import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packageInfo } from '../../src/package-info.js';
import { PARSED_RULES_CACHE } from '../../src/rules/parsed-rules-cache.js';
import { parseBundledRules } from './parse-bundled-rules.js';

// Part of npm run build: writes dist/parsed-rules.json, which start-up reads instead of parsing
// the bundled rules' YAML (the larger half of loading them).
const info = packageInfo();
await writeFile(
  join(info.root, PARSED_RULES_CACHE),
  JSON.stringify(await parseBundledRules(info.bundledRulesDir)),
);
