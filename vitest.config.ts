import { configDefaults, defineConfig } from 'vitest/config';

// One config for the whole repository: every package keeps its tests beside
// its code as `src/**/*.test.ts`; the playground's Node-side helpers (the
// browser finder, the recipe menu) too. Its browser and end-to-end suites have their own configs.
export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'playground/e2e/*.test.ts',
      'playground/src/*.test.ts',
      'scripts/*.test.ts',
      'examples/**/*.test.ts',
    ],
    exclude: [...configDefaults.exclude, 'playground/**/*.e2e.test.ts'],
    setupFiles: ['./vitest.setup.ts'],
    // The run's temporary files in one directory, removed at its end.
    globalSetup: ['./scripts/test_tmpdir.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
