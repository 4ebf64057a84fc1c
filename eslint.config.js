import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: ['node_modules/', '.tsbuild/', 'dist/', 'dist-electron/', 'renderer/dist/', 'release/', 'test-results/', 'playwright-report/', 'e2e/artifacts/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['error', 'warn'] }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['service/**', 'shared/node/**', 'electron/**', 'bench/**', 'e2e/**', 'build/**', 'scripts/**', '*.config.*', '.dependency-cruiser.cjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // CLIs and benchmarks talk to a terminal by design.
    files: ['service/cli/**', 'electron/web/launch.ts', 'bench/**', 'build/**', 'scripts/**'],
    rules: { 'no-console': 'off' },
  },
  {
    // Playwright reads a fixture's dependencies from its destructuring pattern; `{}` means none.
    files: ['e2e/**'],
    rules: { 'no-empty-pattern': ['error', { allowObjectPatternsAsParameters: true }] },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // Issue 14: every control has a name and a role, and what is clickable is reachable by keyboard.
    files: ['renderer/**/*.tsx'],
    ...jsxA11y.flatConfigs.recommended,
  },
  {
    // Stores of what a signed-in person loaded are made with createPersonStore, which resets them all
    // when the person leaves; zustand's create only where a store belongs to nobody (sign-in, connection).
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/src/platform/personStore.ts', 'renderer/src/auth/authStore.ts', 'renderer/src/shell/connectionStore.ts', 'renderer/src/connect/serviceStore.ts', 'renderer/src/platform/timeZoneStore.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'zustand', importNames: ['create', 'createStore'], message: 'Create per-person stores with createPersonStore (renderer/src/platform/personStore.ts): sign-out resets them.' },
            { name: 'zustand/vanilla', message: 'Create per-person stores with createPersonStore (renderer/src/platform/personStore.ts): sign-out resets them.' },
          ],
        },
      ],
    },
  },
  {
    // One date-time formatter (renderer/src/platform/dateTime.ts, components/DateTime.tsx): every time reads
    // the same, with its zone, in the zone the desk chose; typed times are read back by dateTimeInput.ts.
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/src/platform/dateTime.ts', 'renderer/src/platform/dateTimeInput.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.object.name='Intl'][callee.property.name='DateTimeFormat']", message: 'Format times with formatDateTime or <DateTime> (renderer/src/platform/dateTime.ts).' },
        { selector: "CallExpression[callee.object.name='Intl'][callee.property.name='DateTimeFormat']", message: 'Format times with formatDateTime or <DateTime> (renderer/src/platform/dateTime.ts).' },
        { selector: "CallExpression[callee.property.name=/^toLocale(Date|Time)String$/]", message: 'Format times with formatDateTime or <DateTime> (renderer/src/platform/dateTime.ts).' },
        { selector: "CallExpression[callee.property.name='toLocaleString'][callee.object.type='NewExpression'][callee.object.callee.name='Date']", message: 'Format times with formatDateTime or <DateTime> (renderer/src/platform/dateTime.ts).' },
        { selector: "CallExpression[callee.property.name='toLocaleString'] > ObjectExpression > Property[key.name=/^(dateStyle|timeStyle|year|month|day|weekday|hour|minute|second|timeZone|timeZoneName|hourCycle|hour12)$/]", message: 'Format times with formatDateTime or <DateTime> (renderer/src/platform/dateTime.ts).' },
      ],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
