import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TEST_TOKEN } from '../fakes/fake-ingestion.js';
import { settingsEnv, type AzureFakes } from './azure-env.js';
import { REPO_ROOT } from './shared.js';

export const CLI = join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js');
const run = promisify(execFile);

/**
 * A working directory and environment for running the built CLI as a separate process against
 * the fakes: the test certificate trusted through NODE_EXTRA_CA_CERTS, and DefaultAzureCredential
 * limited to AzureCliCredential with a stand-in `az` that prints the fakes' token.
 */
export function cliEnvironment(fakes: AzureFakes): { work: string; env: NodeJS.ProcessEnv } {
  if (!existsSync(CLI))
    throw new Error(`${CLI} is missing: run "npm run build" (npm test does) before these tests`);
  const work = mkdtempSync(join(tmpdir(), 'kjd-cli-process-'));
  const bin = join(work, 'bin');
  mkdirSync(bin);
  writeFileSync(
    join(bin, 'az'),
    `#!/bin/sh\necho '{"accessToken":"${TEST_TOKEN}","expires_on":${Math.floor(Date.now() / 1000) + 3600},"tokenType":"Bearer"}'\n`,
  );
  chmodSync(join(bin, 'az'), 0o755);
  writeFileSync(join(work, 'ca.pem'), fakes.certificate.cert);
  const env = {
    ...process.env,
    ...settingsEnv(fakes),
    PATH: `${bin}:${process.env['PATH'] ?? ''}`,
    AZURE_TOKEN_CREDENTIALS: 'AzureCliCredential',
    NODE_EXTRA_CA_CERTS: join(work, 'ca.pem'),
    DEADLETTER_CONTAINER_URL: '',
  };
  return { work, env };
}

export async function runCliProcess(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env, cwd });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
