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

/**
 * What each folder of src-main may import: the other src-main folders it may reach (besides itself
 * and src-shared) and the packages it may use. Anything not listed is refused by the lint, so a new
 * dependency between layers is a decision written here, not an accident. Every folder must have an
 * entry (test/unit/boundaries/layer-allow-lists.test.ts checks both that and that each rule fires).
 */
export const layers = {
  engine: { folders: [], packages: [] },
  agents: { folders: [], packages: ['zod'] },
  notices: { folders: [], packages: [] },
  settings: { folders: [], packages: ['zod', 'conf', 'electron-store', 'node:fs', 'node:path'] },
  secrets: { folders: [], packages: ['keytar', 'node:crypto'] },
  storage: { folders: [], packages: ['zod', 'node:sqlite', 'node:worker_threads', 'node:fs', 'node:path', 'node:crypto'] },
  health: { folders: ['engine'], packages: [] },
  providers: { folders: ['engine'], packages: ['openai', '@anthropic-ai/sdk', 'undici', 'zod', 'node:crypto', 'node:fs', 'node:zlib'] },
  connections: { folders: ['engine', 'health', 'providers', 'secrets', 'settings'], packages: ['zod'] },
  routing: { folders: ['agents', 'engine', 'health', 'settings', 'storage'], packages: [] },
  calls: { folders: ['connections', 'engine', 'health', 'providers', 'routing', 'settings'], packages: ['ajv', 're2js'] },
  chat: { folders: ['calls', 'engine', 'routing', 'settings', 'storage'], packages: [] },
  tasks: { folders: ['agents', 'calls', 'engine', 'health', 'routing', 'settings', 'storage'], packages: [] },
  config: {
    folders: ['agents', 'connections', 'engine', 'providers', 'secrets', 'settings', 'storage'],
    packages: ['zod', 'yaml', 'node:crypto', 'node:fs'],
  },
  gateway: {
    folders: ['agents', 'calls', 'config', 'connections', 'engine', 'health', 'providers', 'routing', 'secrets', 'settings', 'storage'],
    packages: ['zod', 'ajv', 're2js', 'node:crypto', 'node:fs', 'node:http', 'node:net', 'node:os', 'node:path', 'node:util'],
  },
  ipc: {
    folders: [
      'agents',
      'chat',
      'config',
      'connections',
      'engine',
      'gateway',
      'health',
      'notices',
      'providers',
      'routing',
      'secrets',
      'settings',
      'storage',
      'tasks',
    ],
    packages: ['zod'],
  },
  thread: { folders: ['ipc', 'secrets', 'settings'], packages: ['node:worker_threads'] },
  app: { folders: ['ipc', 'notices'], packages: ['electron', 'node:fs', 'node:path', 'node:url'] },
};

/** Composition roots that wire every folder together; only they may import src-main's top-level files. */
const compositionRoots = ['src-main/*.ts', 'src-main/gateway/headless-gateway.ts'];

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The import patterns a file `depth` folders below src-main/<folder> may not use. */
function forbiddenFor(folder, depth) {
  const { folders, packages } = layers[folder];
  const toSrcMain = `(\\.\\./){${depth + 1}}`;
  const toRoot = `(\\.\\./){${depth + 2}}`;
  const allowedFolders = [folder, ...folders].map(escape).join('|');
  const allowedPackages = packages.map(escape).join('|');
  return [
    {
      regex: `^${toSrcMain}(?!(?:${allowedFolders})/)[^./][^/]*(/|$)`,
      message: `${folder}/ may import from src-main only: ${folders.join(', ') || 'nothing'} (see layers in eslint.config.js).`,
    },
    {
      regex: `^${toRoot}(?!src-shared/)[^./]`,
      message: `${folder}/ may import src-shared and nothing else outside src-main.`,
    },
    {
      regex: allowedPackages ? `^(?!(?:${allowedPackages})(/|$))[^./]` : '^[^./]',
      message: `${folder}/ may use only these packages: ${packages.join(', ') || 'none'} (see layers in eslint.config.js).`,
    },
  ];
}

function allowListBlocks() {
  return Object.keys(layers).flatMap((folder) =>
    [0, 1, 2].map((depth) => ({
      files: [`src-main/${folder}/${'*/'.repeat(depth)}*.ts`],
      ignores: compositionRoots,
      rules: {
        'no-restricted-imports': ['error', { patterns: [...(folder === 'engine' ? impureModules : []), ...forbiddenFor(folder, depth)] }],
      },
    })),
  );
}

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
  ...allowListBlocks(),
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
