import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Code under src/workflows runs in Temporal's deterministic sandbox: no Node built-in, no package
// that only works in a worker or a client (network, file system, the ESM OpenAI client).
const NODE_BUILTINS = builtinModules.flatMap((m) => [m, `node:${m}`]);
const WORKER_OR_CLIENT_ONLY = [
  '@openai/agents-openai',
  '@openai/agents',
  'openai',
  '@temporalio/activity',
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/testing',
  '@temporalio/envconfig',
  '@temporalio/proto',
  'hono',
  '@hono/*',
  'commander',
  'pdfkit',
  'unpdf',
  'linkedom',
  'marked',
  'minisearch',
  '@mozilla/readability',
  'ajv',
  'ajv-formats',
  '@opentelemetry/*',
];

// The modules of src/common that workflow code may import, and that therefore must stay pure.
const SANDBOX_SAFE_COMMON = [
  'research-types',
  'timeline-types',
  'api-types',
  'conversation-types',
  'duration',
  'placeholder-tags',
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      '.steadfast/',
      '.temporal/',
      '.bench/',
      'web/dist/',
      'test-results/',
      'docs/',
      '**/*.d.ts',
    ],
  },
  { languageOptions: { globals: { ...globals.node } } },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Promises that nobody awaits lose their errors: every one is awaited, returned or marked `void`.
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'web/src/**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // node:test's test() and describe() return promises the runner itself awaits.
          allowForKnownSafeCalls: [
            { from: 'package', name: ['test', 'describe', 'it', 'suite'], package: 'node:test' },
          ],
        },
      ],
    },
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['src/workflows/**/*.ts', ...SANDBOX_SAFE_COMMON.map((m) => `src/common/${m}.ts`)],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: NODE_BUILTINS.map((name) => ({
            name,
            message: 'workflow code runs in the deterministic sandbox: no Node built-ins (use an activity)',
          })),
          patterns: [
            {
              group: WORKER_OR_CLIENT_ONLY,
              message:
                'workflow code runs in the deterministic sandbox: this package belongs in a worker or a client',
            },
            {
              group: [
                '**/worker/**',
                '**/client/**',
                '**/cli/**',
                '**/server/**',
                '**/model-server/**',
                '**/dev-server/**',
                '**/testing/**',
              ],
              message:
                'workflow code may import only src/workflows, the pure leaves of src/common and activity types',
            },
            {
              // The leaves of src/common that are pure (no Node built-in): the rest use the file system or network.
              group: ['**/common/*', ...SANDBOX_SAFE_COMMON.map((m) => `!**/common/${m}.js`)],
              message: `from src/common, workflow code may import only ${SANDBOX_SAFE_COMMON.join(', ')}`,
            },
          ],
        },
      ],
    },
  }
);
