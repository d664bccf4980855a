import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { openPromise } from 'yauzl';
import {
  BUNDLE_PATH,
  HOST_PROVIDED,
  packageApp,
  type PackageResult,
} from '../../tools/package/package-app.js';
import { FUNCTION_APP_SETTINGS } from '../helpers/function-app-settings.js';
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

function unzipTo(entries: Map<string, Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kjd-unzipped-'));
  for (const [name, content] of entries) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

/**
 * Imports the unpacked bundle in a fresh Node process the way the Functions Node.js worker does:
 * the worker answers require('@azure/functions-core') by patching Module.prototype.require
 * (Azure/azure-functions-nodejs-worker, src/setupCoreModule.ts). Returns the functions registered.
 */
function loadBundle(dir: string): unknown {
  const script = `
    import Module from 'node:module';
    const registered = [];
    const coreApi = {
      version: '3.10.1',
      hostVersion: '4.1040.0',
      registerHook: () => ({ dispose() {} }),
      setProgrammingModel: () => {},
      getProgrammingModel: () => undefined,
      registerFunction: (metadata) => { registered.push(metadata); return { dispose() {} }; },
      Disposable: class { dispose() {} },
    };
    Module.prototype.require = new Proxy(Module.prototype.require, {
      apply: (target, self, args) => args[0] === '@azure/functions-core' ? coreApi : Reflect.apply(target, self, args),
    });
    await import(${JSON.stringify(pathToFileURL(join(dir, BUNDLE_PATH)).href)});
    console.log(JSON.stringify(registered.map((m) => ({ name: m.name, bindings: Object.values(m.bindings), retry: m.retryOptions }))));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: dir,
    encoding: 'utf8',
    stdio: 'pipe',
    env: { PATH: process.env['PATH'] ?? '', ...FUNCTION_APP_SETTINGS },
  });
  return JSON.parse(out.trim().split('\n').at(-1) ?? 'null') as unknown;
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
  it('zips only the bundle, its chunks and their maps, host.json, package.json and the rules the app loads', () => {
    const chunks = [...files.keys()].filter((name) => name.startsWith('dist/functions/chunks/'));
    const chunkCode = chunks.filter((name) => name.endsWith('.js'));
    expect(chunkCode.length).toBeGreaterThan(0);
    expect(chunks.sort()).toEqual(chunkCode.flatMap((name) => [name, `${name}.map`]).sort());
    const expected = [
      BUNDLE_PATH,
      `${BUNDLE_PATH}.map`,
      ...chunks,
      'host.json',
      'package.json',
      'dist/parsed-rules.json',
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

  it('loads no Azure SDK but @azure/functions when the app is imported: the others are chunks loaded on first use', () => {
    const azure = new Set(
      result.startupInputs.flatMap((i) => /node_modules\/(@azure\/[^/]+)\//.exec(i)?.[1] ?? []),
    );
    // functions-extensions-base is a dependency of @azure/functions itself.
    expect([...azure].sort()).toEqual(['@azure/functions', '@azure/functions-extensions-base']);
    expect(result.startupInputs).toContain('functions/index.ts');
    // Control: the SDKs are in the package, in chunks of their own.
    expect(result.bundledInputs).toEqual(
      expect.arrayContaining([expect.stringContaining('node_modules/@azure/monitor-ingestion/')]),
    );
  });

  it('writes a bundle that registers both triggers with the worker, with a source map back to the TypeScript', () => {
    const dir = unzipTo(files);
    const trigger = (hub: string) => ({
      type: 'eventHubTrigger',
      direction: 'in',
      eventHubName: `%${hub}%`,
      connection: 'EventHubConnection',
      consumerGroup: 'kube-job-detector',
      cardinality: 'many',
      dataType: 'binary',
    });
    const retry = { strategy: 'exponentialBackoff', maxRetryCount: 8 };
    expect(loadBundle(dir)).toEqual([
      {
        name: 'activityLog',
        bindings: [expect.objectContaining(trigger('ACTIVITY_LOG_HUB_NAME'))],
        retry: expect.objectContaining(retry),
      },
      {
        name: 'kubeAudit',
        bindings: [expect.objectContaining(trigger('AKS_AUDIT_HUB_NAME'))],
        retry: expect.objectContaining(retry),
      },
    ]);
    const bundle = files.get(BUNDLE_PATH)?.toString('utf8') ?? '';
    expect(bundle.trimEnd().endsWith('//# sourceMappingURL=index.js.map')).toBe(true);
    const map = JSON.parse(files.get(`${BUNDLE_PATH}.map`)?.toString('utf8') ?? '{}') as {
      sources: string[];
    };
    expect(map.sources).toContain('../../functions/index.ts');
  });

  it('needs the rules it ships: without rules/ the bundle refuses to load', () => {
    const dir = unzipTo(new Map([...files].filter(([name]) => !name.startsWith('rules/'))));
    expect(() => loadBundle(dir)).toThrow(/rules/i);
  });

  it('gives the same archive for the same input', async () => {
    const again = await packageApp(REPO_ROOT, mkdtempSync(join(tmpdir(), 'kjd-package-')));
    expect(readFileSync(again.archive).equals(readFileSync(result.archive))).toBe(true);
  }, 120_000);
});
