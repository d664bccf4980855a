import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The pure core: no Azure SDK, no I/O, no environment (issue 11). */
const CORE = [
  'sigma',
  'sources',
  'prefilter',
  'findings',
  'decode',
  'pipeline',
  'util',
  'enrich',
  'report',
  'redact',
];
const IO_MODULES = [
  'fs',
  'fs/*',
  'http',
  'https',
  'http2',
  'child_process',
  'dgram',
  'dns',
  'tls',
  'worker_threads',
].flatMap((m) => [m, `node:${m}`]);

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'coverage/',
      '.tools/',
      '.stryker-tmp/',
      'reports/',
      'src/**/*.generated.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
      ],
    },
  },
  {
    // The core is pure: every side effect sits behind an interface that functions/, src/cli and
    // src/azure pass in (docs/architecture.md).
    files: CORE.map((dir) => `src/${dir}/**/*.ts`),
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@azure/*'],
              message: 'The core imports no Azure SDK: put the client in src/azure behind an interface.',
            },
            {
              group: IO_MODULES,
              message: 'The core does no file, network or process I/O: take an interface instead.',
            },
            {
              group: ['**/azure/*', '**/cli/*', '**/inputs/*', '**/config/*', '**/functions/*'],
              message: 'The core does not import the adapters; they import it.',
            },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'The core reads no environment: settings are passed in.',
        },
        {
          object: 'globalThis',
          property: 'process',
          message: 'The core reads no process state: pass it in.',
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'The core reads no process state: pass it in.' },
      ],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Fakes stand in for async APIs without awaiting anything, and rhea (the AMQP fake's library) is untyped.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['eslint.config.js', 'vitest.config.ts', 'vitest.mutate.config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
