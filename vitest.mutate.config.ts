import { defineConfig, mergeConfig, type ViteUserConfig } from 'vitest/config';
import base from './vitest.config.js';

// Stryker mutates the core. The Azure adapter tests (local Azurite, HTTPS and AMQP servers, the
// built CLI in a child process), the report page tests (a browser) and the Bicep tests exercise
// adapters, are slow, and under load fail to start their servers in time; leaving them out keeps
// every mutation run short and stable.
const config: ViteUserConfig = mergeConfig(
  base,
  defineConfig({
    test: { exclude: ['test/azure/**', 'test/infra/**', 'test/report/**', 'node_modules/**'] },
  }),
);

// MUTATE_TESTS (comma-separated globs) narrows a run scoped to one folder to the tests that speak
// for it: each mutant then loads only those files, and code that other test files run outside a
// test no longer makes the folder's mutants static (each run against every test). A mutant only
// other tests would kill then counts as survived, so a narrowed score is a lower bound.
const narrowed = process.env['MUTATE_TESTS'];
if (narrowed !== undefined && narrowed !== '') config.test = { ...config.test, include: narrowed.split(',') };

export default config;
