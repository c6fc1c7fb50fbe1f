import { defineConfig } from 'vite';
import { CROSS_ORIGIN_ISOLATION, crossOriginIsolationHeadersFile } from './isolation.js';
import { workspaceAliases } from './workspace_aliases.js';

// `vite build playground` → playground/dist/; `vite preview playground` serves it.
// The Fashion-MNIST sample and the wasm binaries are imported with `?url`, so
// the build copies them into dist/assets/ and the repository keeps one copy.
// The dev server and preview send the cross-origin isolation headers (the wasm
// backend's threads need them); the build writes them to dist/_headers for
// static hosts that read that file.
export default defineConfig({
  base: './',
  resolve: { alias: workspaceAliases },
  plugins: [crossOriginIsolationHeadersFile()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The data files stay files (never inlined as data: URLs), and TF.js is one big chunk by nature.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 4096,
  },
  server: { host: '127.0.0.1', headers: CROSS_ORIGIN_ISOLATION },
  preview: { host: '127.0.0.1', headers: CROSS_ORIGIN_ISOLATION },
});
