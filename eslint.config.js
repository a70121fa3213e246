// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'dist/', 'coverage/', 'bench/results/', 'src/sandbox/playground/static/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  // The sandbox (local Discord, provider simulators, playground) and the product stay apart: the
  // product reaches the sandbox only from main.ts, and the sandbox the product only through its
  // public entry points (the configuration, the logger, and the bot itself). See src/sandbox/README.md.
  {
    files: ['src/**/*.ts', 'commands/**/*.ts'],
    ignores: ['src/sandbox/**', 'src/main.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)sandbox(/|$)',
              message: 'The product does not import the sandbox; only src/main.ts starts it.',
            },
          ],
        },
      ],
    },
  },
  ...[1, 2, 3, 4].map((depth) => ({
    files: [`src/sandbox/${'*/'.repeat(depth - 1)}*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^${'\\.\\./'.repeat(depth)}(?!(config|logger|bot)\\.js$)`,
              message: 'The sandbox uses the product only through src/config.ts, src/logger.ts and src/bot.ts.',
            },
          ],
        },
      ],
    },
  })),
  { files: ['*.js'], extends: [tseslint.configs.disableTypeChecked] },
);
