import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

// Stryker mutates the core. The Azure adapter tests (local Azurite, HTTPS and AMQP servers, the
// built CLI in a child process), the report page tests (a browser) and the Bicep tests exercise
// adapters, are slow, and under load fail to start their servers in time; leaving them out keeps
// every mutation run short and stable.
export default mergeConfig(
  base,
  defineConfig({
    test: { exclude: ['test/azure/**', 'test/infra/**', 'test/report/**', 'node_modules/**'] },
  }),
);
