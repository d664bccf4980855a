import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './shared.js';

export const BICEP_VERSION = '0.49.2';
const RESTORED = join(
  REPO_ROOT,
  '.tools',
  'nuget',
  'azure.bicep.commandline.linux-x64',
  BICEP_VERSION,
  'tools',
  'bicep',
);
export const BICEP_MISSING = `the Bicep CLI is not restored: run "NUGET_PACKAGES=.tools/nuget dotnet restore tools/bicep/bicep-tool.proj" (or set BICEP_PATH); skipped outside CI`;

/** The Bicep CLI .ci/run restores from NuGet; absent on a laptop without it, which skips (and fails under CI=true). */
export function bicepPath(): string | undefined {
  const path = process.env['BICEP_PATH'] ?? RESTORED;
  if (existsSync(path)) return path;
  if (process.env['CI'] === 'true') throw new Error(`${path} is missing: .ci/run must restore the Bicep CLI`);
  return undefined;
}

export interface Compiled {
  readonly template: ArmTemplate;
  readonly lintOutput: string;
}

export interface ArmTemplate {
  readonly variables?: Record<string, unknown>;
  readonly parameters?: Record<string, unknown>;
  readonly resources: Record<string, ArmResource> | ArmResource[];
  readonly outputs?: Record<string, unknown>;
}

export interface ArmResource {
  readonly type: string;
  readonly name?: string;
  readonly scope?: string;
  readonly location?: string;
  readonly condition?: string;
  readonly subscriptionId?: string;
  readonly resourceGroup?: string;
  readonly dependsOn?: readonly string[];
  readonly properties?: Record<string, unknown> & {
    template?: ArmTemplate;
    parameters?: Record<string, { value?: unknown }>;
  };
}

let cached: Compiled | undefined;

/** Builds and lints infra/main.bicep with the real compiler, once per test file. */
export function compileMain(bicep: string): Compiled {
  if (cached !== undefined) return cached;
  const out = mkdtempSync(join(tmpdir(), 'kjd-bicep-'));
  const file = join(out, 'main.json');
  execFileSync(bicep, ['build', join(REPO_ROOT, 'infra', 'main.bicep'), '--outfile', file], {
    stdio: 'pipe',
  });
  execFileSync(
    bicep,
    [
      'build-params',
      join(REPO_ROOT, 'infra', 'main.bicepparam'),
      '--outfile',
      join(out, 'main.parameters.json'),
    ],
    { stdio: 'pipe' },
  );
  const lintOutput = execFileSync(bicep, ['lint', join(REPO_ROOT, 'infra', 'main.bicep')], {
    encoding: 'utf8',
    stdio: 'pipe',
  });
  cached = { template: JSON.parse(readFileSync(file, 'utf8')) as ArmTemplate, lintOutput };
  return cached;
}

/** Every resource of the template and its nested deployments, with the template that holds it. */
export function allResources(
  template: ArmTemplate,
): { resource: ArmResource; template: ArmTemplate; deployment: string }[] {
  const out: { resource: ArmResource; template: ArmTemplate; deployment: string }[] = [];
  const walk = (t: ArmTemplate, deployment: string): void => {
    for (const resource of Array.isArray(t.resources) ? t.resources : Object.values(t.resources)) {
      out.push({ resource, template: t, deployment });
      const nested = resource.properties?.template;
      if (resource.type === 'Microsoft.Resources/deployments' && nested !== undefined)
        walk(nested, String(resource.name));
    }
  };
  walk(template, 'main');
  return out;
}
