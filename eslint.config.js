import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '.steadfast/', '.temporal/', '.bench/', 'web/dist/', 'test-results/', 'docs/'] },
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
    files: ['src/workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['@openai/agents-openai', 'openai', '@openai/agents', '@temporalio/activity', '@temporalio/client', '@temporalio/worker', 'node:fs', 'fs'],
        },
      ],
    },
  }
);
