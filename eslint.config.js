// Lint rules, including the layer rule: which folder may import which.
// engine/ never imports electron, renderer, cli or server; audit/ imports nothing of ours;
// renderer/ never imports Node modules; server/ only audit/.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const layer = (files, forbidden, message) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { patterns: forbidden.map((group) => ({ group: [group], message })) }],
  },
});

export default tseslint.config(
  { ignores: ['dist/**', '.dist-*/**', 'node_modules/**', 'bench/results/**', 'eslint.config.js', 'scripts/**', 'test/helpers/fake-electron/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/only-throw-error': 'error',
    },
  },
  {
    // Page-side code runs inside the browser: its own tsconfig (DOM lib), bundled by scripts/build-page.mjs.
    files: ['engine/page/**/*.ts', 'recorder/page/**/*.ts'],
    languageOptions: { parserOptions: { projectService: false, project: ['./tsconfig.page.json'], tsconfigRootDir: import.meta.dirname } },
  },
  {
    // The React renderer (DOM lib, JSX) and the Electron shell each have their own tsconfig.
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { projectService: false, project: ['./renderer/tsconfig.json'], tsconfigRootDir: import.meta.dirname } },
  },
  {
    files: ['electron/**/*.{ts,cts}'],
    languageOptions: { parserOptions: { projectService: false, project: ['./electron/tsconfig.json'], tsconfigRootDir: import.meta.dirname } },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      // node:test's describe/it return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] }] }],
    },
  },
  layer(['engine/**/*.ts'], ['**/electron/**', '**/renderer/**', '**/cli/**', '**/server/**', '**/recorder/**', 'electron'], 'engine/ must not import electron, renderer, cli, server or recorder (see shared/ARCHITECTURE.md)'),
  layer(['audit/**/*.ts'], ['../*', '**/engine/**', '**/cli/**', '**/server/**', '**/electron/**', '**/renderer/**', '**/recorder/**'], 'audit/ imports nothing of ours'),
  layer(['server/**/*.ts'], ['**/engine/**', '**/cli/**', '**/electron/**', '**/renderer/**', '**/recorder/**'], 'server/ may import only audit/'),
  layer(['recorder/**/*.ts'], ['**/cli/**', '**/server/**', '**/electron/**', '**/renderer/**', '**/engine/runner/**', '**/engine/store/**'], 'recorder/ may import only engine/format (and the page-side engine/page)'),
  layer(['cli/**/*.ts'], ['**/electron/**', '**/renderer/**', '**/server/**'], 'cli/ uses the engine API, never the app'),
  layer(['renderer/**/*.{ts,tsx}'], ['node:*', 'fs', 'path', 'child_process', '**/engine/runner/**', '**/engine/store/**', 'electron'], 'renderer/ runs in a browser: no Node modules, engine types only'),
  layer(['assets/demo-system/**/*.ts'], ['**/engine/**', '**/cli/**'], 'the demo system stands alone'),
);
