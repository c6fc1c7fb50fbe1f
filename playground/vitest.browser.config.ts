import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { CHROMIUM_ARGS, browserPath } from './e2e/harness.js';
import { CROSS_ORIGIN_ISOLATION } from './isolation.js';
import { workspaceAliases } from './workspace_aliases.js';
import { kerasApplication } from './keras_application_command.js';

// The library tested in Chromium (found by e2e/find_browser.ts), once per backend (one file each):
//   npx vitest run --config playground/vitest.browser.config.ts
export default defineConfig({
  // Its own pre-bundling cache (git-ignored), cold on a fresh clone.
  cacheDir: new URL('.vite/browser-tests', import.meta.url).pathname,
  resolve: { alias: workspaceAliases },
  // Cross-origin isolated like the playground, so the wasm backend can run threaded (wasm_threads.browser.test.ts).
  server: { headers: CROSS_ORIGIN_ISOLATION },
  optimizeDeps: { include: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-webgpu'] },
  test: {
    root: new URL('.', import.meta.url).pathname,
    include: ['browser-tests/**/*.browser.test.ts'],
    // The run's temporary files in one directory, removed at its end.
    globalSetup: ['../scripts/test_tmpdir.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({
        launchOptions: {
          executablePath: browserPath(),
          // SwiftShader gives headless Chromium a WebGL 2 context without a GPU.
          args: [...CHROMIUM_ARGS, '--enable-unsafe-swiftshader'],
        },
      }),
      instances: [{ browser: 'chromium' }],
      // Keras (Python, in Node) builds a keras.applications model for keras.browser.test.ts.
      commands: { kerasApplication },
    },
  },
});
