import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Only main's Electron glue (`index.ts`, `*.electron.ts`) may load Electron; the rest runs under plain Node.
const electronOnlyAtTheEdge = {
  paths: [
    { name: 'electron', message: 'Only index.ts and *.electron.ts load Electron: take Electron objects in a constructor.', allowTypeImports: true },
    { name: 'electron-updater', message: 'electron-updater loads Electron: use it from a *.electron.ts module.' },
  ],
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.local/**', '.scratch/**', 'supabase/functions/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}', 'src/review/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', { paths: ['electron'], patterns: ['node:*', '../main/*', '../../main/*'] }],
    },
  },
  {
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/index.ts', 'src/main/**/*.electron.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', electronOnlyAtTheEdge] },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['electron', 'react'], patterns: ['node:*'] }],
    },
  },
);
