import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { packageInfo } from '../src/package-info.js';
import { generateStream } from './generate.js';

/**
 * `npm run bench -- --startup`: what a user waits for. Each case is a fresh Node process, run
 * RUNS times; the figure is the median CPU time (user + sys) and its ratio to `node -e 0` measured
 * in the same run, so a loaded machine shifts both alike.
 */
const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);
const PROBE = fileURLToPath(new URL('./cpu-probe.js', import.meta.url));
const root = packageInfo().root;
/** The bin (npm run build bundles it); the tsc output beside it is what the tests import. */
const cli = join(root, 'dist', 'cli', 'main.js');
const unbundledCli = join(root, 'dist', 'src', 'cli', 'main.js');
const work = mkdtempSync(join(tmpdir(), 'kjd-startup-'));

/** The deployed app settings, every endpoint on loopback and never called during import. */
const FUNCTION_SETTINGS = {
  ACTIVITY_LOG_HUB_NAME: 'insights-activity-logs',
  AKS_AUDIT_HUB_NAME: 'insights-logs-kube-audit-admin',
  EventHubConnection__fullyQualifiedNamespace: 'contoso-detector.servicebus.windows.net',
  LOGS_INGESTION_ENDPOINT: 'https://127.0.0.1:9/never-called',
  LOGS_INGESTION_DCR_IMMUTABLE_ID: 'dcr-00000000000000000000000000000000',
  DEADLETTER_CONTAINER_URL: 'https://127.0.0.1:9/devstoreaccount1/deadletter',
  ARM_ENDPOINT: 'https://127.0.0.1:9',
  ENRICHMENT_ENABLED: 'true',
};

/**
 * Imports a function module as the Functions Node.js worker does: the worker answers
 * require('@azure/functions-core') itself (Azure/azure-functions-nodejs-worker, setupCoreModule.ts).
 */
function importFunctionScript(file: string): string {
  return `
    import Module from 'node:module';
    const coreApi = { version: '3.10.1', hostVersion: '4.1040.0', registerHook: () => ({ dispose() {} }),
      setProgrammingModel: () => {}, getProgrammingModel: () => undefined,
      registerFunction: () => ({ dispose() {} }), Disposable: class { dispose() {} } };
    Module.prototype.require = new Proxy(Module.prototype.require, {
      apply: (target, self, args) => args[0] === '@azure/functions-core' ? coreApi : Reflect.apply(target, self, args),
    });
    await import(${JSON.stringify(pathToFileURL(file).href)});`;
}

interface Case {
  readonly label: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
}

/** Median CPU milliseconds of RUNS fresh processes; a failing process stops the bench. */
function cpuMs(c: Case): number {
  const samples: number[] = [];
  const out = join(work, 'cpu.json');
  for (let i = 0; i < RUNS; i++) {
    rmSync(out, { force: true });
    const result = spawnSync(process.execPath, ['--import', pathToFileURL(PROBE).href, ...c.args], {
      cwd: c.cwd ?? root,
      env: { PATH: process.env['PATH'] ?? '', ...c.env, KJD_CPU_PROBE_OUT: out },
      stdio: ['ignore', 'ignore', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
    if (result.status !== 0 || !existsSync(out))
      throw new Error(
        `${c.label}: exit ${String(result.status)}: ${result.stderr.toString('utf8').slice(0, 2000)}`,
      );
    const { user, system } = JSON.parse(readFileSync(out, 'utf8')) as { user: number; system: number };
    samples.push((user + system) / 1000);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] ?? Number.NaN;
}

// One body: the first of the bench's mixed stream (an Activity Log body of 20 records).
const targetMB = Number(process.env['BENCH_MB'] ?? 160);
const stream = generateStream({ targetBytes: targetMB * 1024 * 1024, hitRate: 0.0005, seed: 1053007 });
const oneBody = join(work, 'one-body.json');
writeFileSync(oneBody, stream.bodies[0] ?? '');
const streamFile = join(work, 'stream.jsonl');
writeFileSync(streamFile, Buffer.concat(stream.bodies.flatMap((b) => [b, Buffer.from('\n')])));
const streamMB = stream.bytes / 1024 / 1024;

// The whole-process baseline: read the file, JSON.parse every body and every embedded audit log.
const parseAllScript = `
  import { readFileSync } from 'node:fs';
  let records = 0;
  for (const line of readFileSync(process.argv[1], 'utf8').split('\\n')) {
    if (line === '') continue;
    for (const record of JSON.parse(line).records) {
      records++;
      const log = record.properties?.log;
      if (typeof log === 'string') JSON.parse(log);
    }
  }
  process.stdout.write(records + '\\n');`;

const bundle = join(root, 'dist', 'package', 'app', 'dist', 'functions', 'index.js');
const unbundled = join(root, 'dist', 'functions', 'index.js');
const zip = join(root, 'dist', 'package', 'kube-job-detector.zip');

const bare = cpuMs({ label: 'node -e 0', args: ['-e', '0'] });
const rows: { label: string; ms: number; target?: number }[] = [
  { label: 'node -e 0 (bare node)', ms: bare },
  { label: 'kube-job-detector --help', ms: cpuMs({ label: '--help', args: [cli, '--help'] }), target: 3 },
  {
    label: 'kube-job-detector scan <one body>',
    ms: cpuMs({ label: 'scan', args: [cli, 'scan', '--quiet', '--format', 'jsonl', oneBody] }),
    target: 5,
  },
  {
    label: 'scan <one body> (dist/src/cli, unbundled)',
    ms: cpuMs({
      label: 'unbundled scan',
      args: [unbundledCli, 'scan', '--quiet', '--format', 'jsonl', oneBody],
    }),
  },
  {
    label: 'import function module (dist, unbundled)',
    ms: cpuMs({
      label: 'function import',
      args: ['--input-type=module', '-e', importFunctionScript(unbundled)],
      env: FUNCTION_SETTINGS,
    }),
  },
];
if (existsSync(bundle))
  rows.push({
    label: 'import function module (npm run package bundle, what Azure runs)',
    ms: cpuMs({
      label: 'bundle import',
      args: ['--input-type=module', '-e', importFunctionScript(bundle)],
      env: FUNCTION_SETTINGS,
      cwd: join(root, 'dist', 'package', 'app'),
    }),
    target: 5,
  });

const scanMs = cpuMs({
  label: 'scan stream',
  args: [cli, 'scan', '--quiet', '--format', 'jsonl', streamFile],
});
const parseMs = cpuMs({
  label: 'parse all',
  args: ['--input-type=module', '-e', parseAllScript, streamFile],
});
rmSync(work, { recursive: true, force: true });

const out = process.stdout;
out.write(
  `Start-up: median CPU time (user + sys) of ${RUNS} fresh processes, Node ${process.version}; ratios are to bare node measured in this same run (the machine may be loaded).\n\n`,
);
out.write(`${'case'.padEnd(68)} ${'CPU ms'.padStart(8)} ${'× node'.padStart(8)} ${'target'.padStart(8)}\n`);
for (const row of rows)
  out.write(
    `${row.label.padEnd(68)} ${row.ms.toFixed(0).padStart(8)} ${(row.ms / bare).toFixed(2).padStart(8)} ${(row.target === undefined ? '' : `≤ ${row.target}×`).padStart(8)}\n`,
  );
if (!existsSync(bundle))
  out.write('(no bundle: run "npm run package" to measure the deployable function app)\n');
else
  out.write(`Deployable zip (npm run package): ${(readFileSync(zip).length / 1024 / 1024).toFixed(2)} MiB\n`);
out.write(
  `\nWhole process on the mixed stream (${streamMB.toFixed(1)} MB, ${stream.bodies.length} bodies, one per line):\n`,
);
out.write(`${'kube-job-detector scan --format jsonl'.padEnd(68)} ${scanMs.toFixed(0).padStart(8)}\n`);
out.write(
  `${'node script: read the file, JSON.parse every body and audit log'.padEnd(68)} ${parseMs.toFixed(0).padStart(8)}\n`,
);
out.write(
  `scan / parse-everything: ${(parseMs / scanMs).toFixed(2)}× as fast (target ≥ 3×; below 1 means slower)\n`,
);
