// @ts-check
import eslint from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/**
 * ESLint (flat config) with typescript-eslint's recommended rules, type-aware where a rule needs
 * types. Formatting is Prettier's business (.prettierrc), never a lint rule.
 */
export default defineConfig(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'data/**', 'public/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  {
    files: ['**/*.ts'],
    extends: [eslint.configs.recommended, tseslint.configs.recommended],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A promise nobody awaits loses its errors (an unhandled rejection) and its ordering.
      '@typescript-eslint/no-floating-promises': 'error',
      // `_name` marks a parameter or binding that is there on purpose.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Tests read loosely typed JSON bodies (`res.body.items`); production code may not.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
