import { SettingsError } from '../config/settings.js';
import { replayDeadLetters } from '../emit/replay.js';
import { cliDeadLetter, cliSink } from './azure-wiring.js';
import { EXIT, type ExitCode } from './exit-codes.js';

export async function runReplay(
  options: { container?: string; dir?: string },
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
): Promise<ExitCode> {
  let store;
  let sink;
  try {
    store = cliDeadLetter(options);
    sink = cliSink();
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    io.stderr.write(`${error.message}\n`);
    return EXIT.usage;
  }
  const outcome = await replayDeadLetters(store, sink);
  io.stdout.write(
    `Replayed ${outcome.replayed} dead-letter entr${outcome.replayed === 1 ? 'y' : 'ies'} (${outcome.rows} finding(s)); ${outcome.kept.length} kept.\n`,
  );
  for (const kept of outcome.kept) io.stderr.write(`kept ${kept.name}: ${kept.error}\n`);
  return outcome.kept.length > 0 ? EXIT.deadLettered : EXIT.ok;
}
