// ESLint flat config: JavaScript's and typescript-eslint's recommended rules; formatting is Prettier's
// (eslint-config-prettier turns off the rules that would fight it).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out*/', 'coverage/', 'test/snapshots/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      // `_`-prefixed names are deliberately unused (tuple slots, callback parameters).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Tests edit JSON configs and synthesized templates freely, as untyped data.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // `new App()` runs aws-cdk-lib's WASM template validator on every synth: seconds per test file.
    files: ['test/**/*.test.ts'],
    ignores: ['test/integration/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='App']",
          message:
            'Use plainApp() from test/support/apps.ts (or newApp() from lib/app/synth.ts): the same App without the validator and stack traces unit tests do not assert.',
        },
      ],
    },
  },
  {
    // CommonJS launchers and jest's config and reporter.
    files: ['**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly', console: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  prettier,
);
