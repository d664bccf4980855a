import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openPromise } from 'yauzl';
import {
  BUNDLE_PATH,
  HOST_PROVIDED,
  packageApp,
  type PackageResult,
} from '../../tools/package/package-app.js';
import { REPO_ROOT } from '../helpers/shared.js';

/** Every file of the archive, read back with an independent zip reader. */
async function readZip(path: string): Promise<Map<string, Buffer>> {
  const zip = await openPromise(path, { lazyEntries: true });
  const files = new Map<string, Buffer>();
  for await (const entry of zip.eachEntry()) {
    const stream = await zip.openReadStreamPromise(entry);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    files.set(entry.fileName, Buffer.concat(chunks));
  }
  zip.close();
  return files;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => relative(REPO_ROOT, join(d.parentPath, d.name)).split(sep).join('/'));
}

const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  devDependencies: Record<string, string>;
};

let result: PackageResult;
let files: Map<string, Buffer>;

beforeAll(async () => {
  result = await packageApp(REPO_ROOT, mkdtempSync(join(tmpdir(), 'kjd-package-')));
  files = await readZip(result.archive);
}, 120_000);

describe('npm run package', () => {
  it('zips only the bundle and its map, host.json, package.json and the rules the app loads', () => {
    const expected = [
      BUNDLE_PATH,
      `${BUNDLE_PATH}.map`,
      'host.json',
      'package.json',
      ...filesUnder(join(REPO_ROOT, 'rules')),
    ];
    expect([...files.keys()].sort()).toEqual(expected.sort());
    expect(result.entries).toEqual([...files.keys()].sort());
    expect(files.get('host.json')?.toString('utf8')).toBe(readFileSync(join(REPO_ROOT, 'host.json'), 'utf8'));
    expect(result.bytes).toBe(statSync(result.archive).size);
  });

  it('ships no devDependency, no sources, no tests and no node_modules', () => {
    for (const name of files.keys()) {
      expect(name).not.toMatch(/^(node_modules|src|test|tools|bench|functions|samples|\.azurite)\//);
      expect(name).not.toMatch(/\.ts$/);
    }
    const shipped = JSON.parse(files.get('package.json')?.toString('utf8') ?? '{}') as Record<
      string,
      unknown
    >;
    expect(shipped).toMatchObject({
      name: 'kube-job-detector',
      type: 'module',
      main: BUNDLE_PATH,
      dependencies: {},
    });
    expect(shipped).not.toHaveProperty('devDependencies');
    expect(shipped).not.toHaveProperty('scripts');
    const devPackages = Object.keys(manifest.devDependencies);
    expect(devPackages).toEqual(
      expect.arrayContaining(['typescript', 'vitest', 'azurite', '@kusto/language-service-next']),
    );
    for (const input of result.bundledInputs) {
      for (const dev of devPackages) expect(input, dev).not.toContain(`node_modules/${dev}/`);
    }
  });

  it('bundles every production dependency, leaving external only Node built-ins and what the host provides', () => {
    expect(result.bundledInputs).toEqual(
      expect.arrayContaining([
        expect.stringContaining('node_modules/@azure/functions/'),
        expect.stringContaining('node_modules/@azure/monitor-ingestion/'),
        expect.stringContaining('node_modules/yaml/'),
        'functions/index.ts',
      ]),
    );
    const outside = result.runtimeImports.filter((i) => !isBuiltin(i) && !HOST_PROVIDED.includes(i));
    expect(outside).toEqual([]);
    expect(result.runtimeImports).toContain('@azure/functions-core');
  });

  it('writes a bundle Node parses as a module, with a source map back to the TypeScript', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kjd-unzipped-'));
    for (const [name, content] of files) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), content);
    }
    execFileSync(process.execPath, ['--check', join(dir, BUNDLE_PATH)], { stdio: 'pipe' });
    const bundle = files.get(BUNDLE_PATH)?.toString('utf8') ?? '';
    expect(bundle.trimEnd().endsWith('//# sourceMappingURL=index.js.map')).toBe(true);
    const map = JSON.parse(files.get(`${BUNDLE_PATH}.map`)?.toString('utf8') ?? '{}') as {
      sources: string[];
    };
    expect(map.sources).toContain('../../functions/index.ts');
  });

  it('gives the same archive for the same input', async () => {
    const again = await packageApp(REPO_ROOT, mkdtempSync(join(tmpdir(), 'kjd-package-')));
    expect(readFileSync(again.archive).equals(readFileSync(result.archive))).toBe(true);
  }, 120_000);
});
