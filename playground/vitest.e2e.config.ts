import { defineConfig } from 'vitest/config';

// End-to-end tests of the built playground in Debian's Chromium (playwright-core):
//   npx vitest run --config playground/vitest.e2e.config.ts
export default defineConfig({
  test: {
    root: new URL('.', import.meta.url).pathname,
    include: ['e2e/**/*.e2e.test.ts'],
    // The run's temporary files in one directory, removed at its end.
    globalSetup: ['../scripts/test_tmpdir.ts'],
    testTimeout: 240_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
