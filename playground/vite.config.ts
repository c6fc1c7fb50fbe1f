import { defineConfig } from 'vite';
import { workspaceAliases } from './workspace-aliases.js';

// `vite build playground` → playground/dist/; `vite preview playground` serves it.
// The Fashion-MNIST sample and the wasm binaries are imported with `?url`, so
// the build copies them into dist/assets/ and the repository keeps one copy.
export default defineConfig({
  base: './',
  resolve: { alias: workspaceAliases },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The data files stay files (never inlined as data: URLs), and TF.js is one big chunk by nature.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 4096,
  },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
