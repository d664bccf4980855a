import { createRuntime, type RuntimeSettings } from '../azure/create-runtime.js';
import { readPartialSettings } from '../config/settings.js';
import { DirectoryDeadLetterStore } from '../emit/directory-dead-letter.js';
import type { Runtime } from '../pipeline/runtime.js';

export interface CliRuntimeOptions {
  /** `true` forces enrichment on (`scan --enrich`); `'settings'` follows ENRICHMENT_ENABLED (`listen`). */
  readonly enrich: boolean | 'settings';
  readonly upload: boolean;
  /** A dead-letter blob container URL; else DEADLETTER_CONTAINER_URL, unless `deadLetterDir` is given. */
  readonly deadLetterContainer?: string | undefined;
  readonly deadLetterDir?: string | undefined;
}

/**
 * The command line reaches Azure with the same settings as the function (environment variables of
 * the same names) and DefaultAzureCredential: `az login` on a laptop, or AZURE_TOKEN_CREDENTIALS to
 * pick one credential. Throws `SettingsError` naming every bad setting.
 */
export function cliRuntime(options: CliRuntimeOptions): Runtime {
  const env = process.env;
  const settings: RuntimeSettings = {
    ...(options.enrich === false ? {} : enrichmentSettings(env, options.enrich === true)),
    ...(options.upload ? readPartialSettings(env, ['ingestion']) : {}),
    ...(options.upload ? deadLetterContainer(env, options) : {}),
  };
  const local =
    options.upload && settings.deadLetterContainerUrl === undefined
      ? { deadLetter: new DirectoryDeadLetterStore(options.deadLetterDir ?? 'kube-job-detector-deadletter') }
      : {};
  return createRuntime(settings, local);
}

function enrichmentSettings(env: NodeJS.ProcessEnv, force: boolean): RuntimeSettings {
  const { enrichment } = readPartialSettings(env, ['enrichment']);
  return { enrichment: force ? { ...enrichment, enabled: true } : enrichment };
}

/** A blob container when one is named (flag or DEADLETTER_CONTAINER_URL), else a local directory. */
function deadLetterContainer(env: NodeJS.ProcessEnv, options: CliRuntimeOptions): RuntimeSettings {
  const container =
    options.deadLetterContainer ??
    (options.deadLetterDir === undefined ? env['DEADLETTER_CONTAINER_URL'] : undefined);
  if (container === undefined || container === '') return {};
  return readPartialSettings({ DEADLETTER_CONTAINER_URL: container }, ['deadLetterContainerUrl']);
}
