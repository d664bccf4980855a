import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isRecord } from '../util/is-record.js';

/** Where `npm run build` writes the bundled rule files parsed, under the package root. */
export const PARSED_RULES_CACHE = join('dist', 'parsed-rules.json');

/** One rule file as the build parsed it: its exact text and the values of its YAML documents. */
export interface ParsedRulesEntry {
  readonly text: string;
  readonly values: readonly unknown[];
}

/**
 * The build's parsed rule files by their text, so a file is matched only by exactly the text it
 * was parsed from (an edited rule is parsed again). Empty when the cache is missing or is not
 * what the build writes: it only saves time, so it never stops rules from loading.
 */
export async function readParsedRulesCache(root: string): Promise<ReadonlyMap<string, readonly unknown[]>> {
  const cache = new Map<string, readonly unknown[]>();
  try {
    const entries: unknown = JSON.parse(await readFile(join(root, PARSED_RULES_CACHE), 'utf8'));
    if (!Array.isArray(entries)) return cache;
    for (const entry of entries as unknown[])
      if (isRecord(entry) && typeof entry['text'] === 'string' && Array.isArray(entry['values']))
        cache.set(entry['text'], entry['values'] as unknown[]);
  } catch {
    // No cache (a build that did not write one, an unreadable file): every file is parsed.
  }
  return cache;
}
