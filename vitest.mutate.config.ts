import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

// Stryker mutates `src/` in place of the sources vitest loads. Tests that drive the built CLI
// (`dist/`) in a child process or compile Bicep never load a mutated module, so they cannot kill a mutant: leaving
// them out keeps every mutation run short.
export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: [
        'test/azure/cli-azure.test.ts',
        'test/azure/event-hubs.test.ts',
        'test/infra/**',
        'node_modules/**',
      ],
    },
  }),
);
