import { SettingsError } from '../config/settings.js';
import { resendDeadLetters } from '../emit/resend-dead-letters.js';
import { cliRuntime } from './azure-wiring.js';
import { EXIT, type ExitCode } from './exit-codes.js';

/** `deadletter replay`: uploads the dead-lettered rows again; entries that fail again are kept. */
export async function runResendDeadLetters(
  options: { container?: string; dir?: string },
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
): Promise<ExitCode> {
  let runtime;
  try {
    runtime = cliRuntime({
      enrich: false,
      upload: true,
      deadLetterContainer: options.container,
      deadLetterDir: options.dir,
    });
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    io.stderr.write(`${error.message}\n`);
    return EXIT.usage;
  }
  const { sink, deadLetter } = runtime;
  if (sink === undefined || deadLetter === undefined) throw new Error('an uploading runtime has a sink');
  const outcome = await resendDeadLetters(deadLetter, sink);
  io.stdout.write(
    `Replayed ${outcome.resent} dead-letter entr${outcome.resent === 1 ? 'y' : 'ies'} (${outcome.rows} finding(s)); ${outcome.kept.length} kept.\n`,
  );
  for (const kept of outcome.kept) io.stderr.write(`kept ${kept.name}: ${kept.error}\n`);
  return outcome.kept.length > 0 ? EXIT.deadLettered : EXIT.ok;
}
