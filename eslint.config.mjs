// @ts-check
import eslint from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', '.cache/', 'test-results/', '.vscode-test/'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      // One program types every folder (tsconfig.eslint.json): src/ and server/ are typed once,
      // not once per folder that imports them.
      parserOptions: { project: './tsconfig.eslint.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // node:test's test() and describe() return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }] },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      // `const { at: _at, ...rest } = x` is how a test drops one key before comparing the rest.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
    },
  },
  // The layers point one way (docs/architecture.md): plain-Node code never imports vscode, and
  // views never reach up into commands.
  {
    files: ['src/zulip/**/*.ts', 'src/model/**/*.ts', 'src/common/**/*.ts', 'src/text/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'This layer is plain Node: no vscode import (docs/architecture.md).' }],
          patterns: [{ group: ['../views/*', '../commands/*', '../platform/*', '../extension'], message: 'Plain-Node layers do not import the VS Code layers above them.' }],
        },
      ],
    },
  },
  {
    files: ['src/zulip/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'src/zulip is plain Node: no vscode import.' }],
          patterns: [{ group: ['../*', '!../zulip/*'], message: 'src/zulip is the bottom layer: it imports nothing else of the extension.' }],
        },
      ],
    },
  },
  {
    files: ['src/views/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['../commands/*'], message: 'Views do not import commands (docs/architecture.md).' }] }] },
  },
  { files: ['**/*.js', '**/*.mjs', '**/*.cjs'], ...tseslint.configs.disableTypeChecked },
  // Plain-JS tools run by Node without a build step. package.json has no "type": "module", so
  // .js is CommonJS like .cjs: require() is how these files import, and their top level is the
  // module wrapper's function scope (globalReturn), where a name like `performance` shadows the
  // global instead of redeclaring it.
  {
    files: ['esbuild.js', 'scripts/**/*.js', 'bench/**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: globals.node,
      parserOptions: { ecmaFeatures: { globalReturn: true } },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  { files: ['eslint.config.mjs'], languageOptions: { globals: globals.node } },
  // The profile page's script runs in a VS Code webview: a browser, plus the one function the
  // webview host defines.
  {
    files: ['media/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser, acquireVsCodeApi: 'readonly' } },
  },
);
