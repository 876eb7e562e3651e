import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Node, DOM and Electron are off limits for code that must stay pure or portable. */
const impureModules = [
  {
    group: ['node:*', 'fs', 'path', 'os', 'child_process', 'http', 'https', 'net', 'crypto'],
    message: 'The engine is pure: no Node modules.',
  },
  { group: ['electron', 'electron/*'], message: 'The engine is pure: no Electron.' },
  {
    group: ['openai', 'openai/*', '@anthropic-ai/*', 'keytar', 'electron-store'],
    message: 'The engine never imports a provider SDK or storage.',
  },
  {
    group: [
      '**/providers/**',
      '**/secrets/**',
      '**/settings/**',
      '**/storage/**',
      '**/health/**',
      '**/tasks/**',
      '**/gateway/**',
      '**/ipc/**',
      '**/app/**',
    ],
    message: 'Dependencies point one way: the engine imports src-shared and itself only.',
  },
];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['src-main/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: impureModules }],
      'no-restricted-globals': [
        'error',
        ...[
          'setTimeout',
          'setInterval',
          'setImmediate',
          'clearTimeout',
          'clearInterval',
          'fetch',
          'process',
          'require',
          'console',
          'performance',
          'crypto',
        ].map((name) => ({ name, message: 'The engine is pure: time, I/O and randomness come in as ports.' })),
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Use the Clock port.' },
        { object: 'Math', property: 'random', message: 'Use the Random port.' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Use the Clock port.' },
      ],
    },
  },
  {
    files: ['src-shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'electron', 'electron/*'], message: 'src-shared runs in every process: no Node or Electron.' },
            {
              group: ['**/src-main/**', '**/src-renderer/**', '**/src-preload/**'],
              message: 'src-shared imports nothing of the processes.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/src-main/**', '**/src-preload/index*'],
              message: 'The renderer cannot import main or preload code: go through lib/api-client.ts.',
            },
            { group: ['node:*', 'electron', 'electron/*'], message: 'The renderer has no Node or Electron.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src-preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/src-renderer/**', '**/src-main/**'], message: 'The preload builds window.api from src-shared/contract only.' },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
