import { catalogueTables } from '../sources/catalogue-table.js';
import type { LogSource } from '../sources/log-source.js';
import { SOURCES } from '../sources/sources.js';
import { EXIT, type ExitCode } from './exit-codes.js';

/** Prints the field catalogue of one source (by id or display name, any case) or of all. */
export function runFields(
  name: string | undefined,
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
): ExitCode {
  const sources = name === undefined ? SOURCES : SOURCES.filter((s) => names(s).includes(name.toLowerCase()));
  if (sources.length === 0) {
    io.stderr.write(
      `kube-job-detector: no log source ${JSON.stringify((name ?? '').slice(0, 100))}; one of: ${SOURCES.map((s) => `${s.id} (${s.displayName})`).join(', ')}\n`,
    );
    return EXIT.usage;
  }
  io.stdout.write(catalogueTables(sources));
  return EXIT.ok;
}

function names(source: LogSource): string[] {
  return [source.id.toLowerCase(), source.displayName.toLowerCase()];
}
