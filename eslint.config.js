// ESLint with typescript-eslint's type-aware rules (`npm run lint`, part of
// `npm test`). Type information comes from the two projects that see every
// file: tsconfig.typecheck.json (packages, tests, scripts, examples) and the
// playground's.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/.vite/**',
      '**/node_modules/**',
      '**/generated/**',
      '.venv/**',
      'python/**',
      'out/**',
      'docs/api/**',
      'experiments/**',
      'playground/screenshots/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.browser },
      parserOptions: {
        project: ['./tsconfig.typecheck.json', './playground/tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    rules: {
      // Off: its type view of a file differs from tsc's where two projects see it, and its fix removed
      // assertions tsc needs (`.at(-1) as number`); tsc (npm run typecheck) is the judge of types.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // Prettier wraps code at 120 columns; strings, comments and regexes it cannot wrap are split by hand.
      'max-len': ['error', { code: 120 }],
      // Messages quote what they received: numbers, booleans, null and arrays read well in a template.
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true, allowNullish: true, allowArray: true, allowRegExp: true },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // The AssemblyScript kernels: TypeScript's syntax, AssemblyScript's types and builtins (`f32`, `v128`,
    // `load<T>`, `@inline` on functions), compiled by asc, not tsc; so the rules that need no type
    // information, and the parser told to keep the function decorators TypeScript refuses.
    files: ['packages/tfjs-wasm-train/assembly/**/*.ts'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: { project: false, projectService: false, allowInvalidAST: true },
    },
  },
);
