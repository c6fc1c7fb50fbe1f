import { defineConfig } from 'vitest/config';

// One config for the whole repository: every package keeps its tests beside
// its code as `src/**/*.test.ts`.
export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts'],
    setupFiles: ['./vitest.setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
