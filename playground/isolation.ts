import type { Plugin } from 'vite';

/**
 * The two response headers that make the page cross-origin isolated
 * (`crossOriginIsolated === true`), which is what gives it SharedArrayBuffer
 * and so a wasm backend on several threads. `require-corp` also blocks any
 * cross-origin resource served without `Cross-Origin-Resource-Policy`; the
 * page loads none (its scripts, styles, wasm binaries and data are all in
 * dist/, its workers are Blob URLs it makes itself).
 */
export const CROSS_ORIGIN_ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
} as const;

/**
 * `_headers` for static hosts that read one (Netlify, Cloudflare Pages):
 * {@link CROSS_ORIGIN_ISOLATION} on every path.
 */
export function headersFile(): string {
  const lines = Object.entries(CROSS_ORIGIN_ISOLATION).map(([name, value]) => `  ${name}: ${value}`);
  return ['/*', ...lines, ''].join('\n');
}

/** Writes {@link headersFile} into the build's output as `_headers`. */
export function crossOriginIsolationHeadersFile(): Plugin {
  return {
    name: 'tfjs-skip:headers-file',
    apply: 'build',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: '_headers', source: headersFile() });
    },
  };
}
