import type { LogSource } from './log-source.js';

/** A source's field catalogue as a Markdown table, in the manner of Falco's field lists. */
export function catalogueTable(source: LogSource): string {
  const rows = [...source.fields].map(
    ([name, info]) => `| \`${name}\` | ${info.type} | ${cell(info.meaning)} | ${info.origin} |`,
  );
  return [
    `#### ${source.displayName} (\`${source.id}\`)`,
    '',
    '| field | type | meaning | origin |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

/** Every source's table, as `rules fields` prints them and the README includes them. */
export function catalogueTables(sources: readonly LogSource[]): string {
  return sources.map(catalogueTable).join('\n');
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}
