import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import { findBrowser } from './find_browser.js';

export const PLAYGROUND = fileURLToPath(new URL('..', import.meta.url));
const CONFIG = fileURLToPath(new URL('../vite.config.ts', import.meta.url));

/** The Chromium or Chrome binary the browser tests drive: see `find_browser.ts` for where it is looked for. */
export function browserPath(): string {
  return findBrowser().path;
}

/**
 * Flags for headless Chromium on a closed network: no sandbox (containers),
 * no GPU process, and none of the background connections (updates, sync,
 * QUIC) whose refusal would otherwise show up as errors. Playwright gives
 * every launch a fresh temporary `--user-data-dir`.
 *
 * `--enable-unsafe-webgpu` exposes WebGPU where Chromium would not by
 * default (Linux, headless): without a GPU, Dawn's Vulkan backend on
 * SwiftShader is the adapter (vendor "google", architecture "swiftshader").
 * Tried with Chromium 156 on Linux: this flag alone gives the adapter, even
 * with `--disable-gpu`; `--enable-features=Vulkan`,
 * `--use-webgpu-adapter=swiftshader`, `--use-angle=swiftshader` and
 * `--enable-unsafe-swiftshader` change nothing for WebGPU, and without it
 * `navigator.gpu.requestAdapter()` returns null. `navigator.gpu` itself exists
 * only in secure contexts (http://127.0.0.1 is one, about:blank is not).
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-webgpu',
];

/** Launches the browser `findBrowser` finds (a `BrowserNotFoundError` saying how to get one if none), with `args`. */
export async function launchChromium(args: readonly string[] = CHROMIUM_ARGS): Promise<Browser> {
  return chromium.launch({ executablePath: browserPath(), headless: true, args: [...args] });
}

/** `vite build` of the playground into playground/dist/. */
export async function buildPlayground(): Promise<void> {
  await build({ root: PLAYGROUND, configFile: CONFIG, logLevel: 'warn' });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** `vite preview` of playground/dist/ on a free localhost port. */
export async function startPreview(): Promise<{ url: string; server: PreviewServer }> {
  const port = await freePort();
  const server = await preview({
    root: PLAYGROUND,
    configFile: CONFIG,
    logLevel: 'warn',
    preview: { host: '127.0.0.1', port, strictPort: true, open: false },
  });
  return { url: `http://127.0.0.1:${port}/`, server };
}

/** Collects the page's console errors and uncaught exceptions. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  return errors;
}
