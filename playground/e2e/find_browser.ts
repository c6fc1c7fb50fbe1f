import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Where the browser tests look for Chromium or Google Chrome, in this order:
 *
 * 1. `TFJS_SKIP_BROWSER`, then `CHROME_PATH` (the variable chrome-launcher,
 *    Lighthouse and others read): a path set there is used, or refused when
 *    it names no executable file; it never falls through to a guess.
 * 2. Playwright's own Chromium, if `npx playwright install chromium` put it
 *    in place (`chromium.executablePath()` of playwright-core).
 * 3. The usual system places: `chromium`, `chromium-browser`,
 *    `google-chrome`, `google-chrome-stable` or `chrome` on `PATH` (Debian's
 *    `/usr/bin/chromium`, snap's `/snap/bin/chromium`, ...), then those
 *    paths and `/opt/google/chrome/chrome` whatever `PATH` says; on macOS
 *    the apps in `/Applications` and `~/Applications`; on Windows
 *    `chrome.exe` under Program Files and the user's LocalAppData.
 *
 * The one list of places; the Vitest browser config, the end-to-end harness
 * and `npm test`'s first step all ask it.
 */
export const BROWSER_ENV_VARS = ['TFJS_SKIP_BROWSER', 'CHROME_PATH'] as const;

/** What the search can see: injected so tests can fake a machine. */
export interface BrowserSearchContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly platform: NodeJS.Platform;
  /** True when `path` is a file this process may execute. */
  isExecutable(path: string): boolean;
  /** Where Playwright's Chromium is, or would be, installed; undefined without playwright-core. */
  playwrightChromium(): string | undefined;
}

/** A browser found, and which rule found it. */
export interface FoundBrowser {
  readonly path: string;
  readonly source: string;
}

/** No browser anywhere: the message is the one line `npm test` prints. */
export class BrowserNotFoundError extends Error {
  override name = 'BrowserNotFoundError';
}

const LINUX_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome'];
/** Tried after `PATH`, for shells whose `PATH` lacks them. */
const LINUX_FIXED = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/snap/bin/chromium',
  '/opt/google/chrome/chrome',
];

/** The system places of the third rule, in the order they are tried. */
export function systemCandidates(
  platform: NodeJS.Platform,
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  if (platform === 'darwin') {
    const apps = [
      'Chromium.app/Contents/MacOS/Chromium',
      'Google Chrome.app/Contents/MacOS/Google Chrome',
      'Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing',
    ];
    const roots = ['/Applications', ...(env['HOME'] ? [join(env['HOME'], 'Applications')] : [])];
    return roots.flatMap((root) => apps.map((app) => `${root}/${app}`));
  }
  if (platform === 'win32') {
    const roots = [env['PROGRAMFILES'], env['PROGRAMFILES(X86)'], env['LOCALAPPDATA']].filter(
      (r): r is string => r != null && r !== '',
    );
    return roots.flatMap((root) =>
      ['Google\\Chrome\\Application\\chrome.exe', 'Chromium\\Application\\chrome.exe'].map((exe) => `${root}\\${exe}`),
    );
  }
  const dirs = (env['PATH'] ?? '').split(delimiter).filter((d) => d !== '');
  const onPath = LINUX_NAMES.flatMap((name) => dirs.map((dir) => join(dir, name)));
  return [...new Set([...onPath, ...LINUX_FIXED])];
}

/** Env, then Playwright, then the system: the first browser found, or a `BrowserNotFoundError`. */
export function findBrowser(context: BrowserSearchContext = nodeContext()): FoundBrowser {
  for (const name of BROWSER_ENV_VARS) {
    const path = context.env[name];
    if (path == null || path === '') continue;
    if (context.isExecutable(path)) return { path, source: `$${name}` };
    throw new BrowserNotFoundError(
      `${name}=${path} is not an executable file: point it at a Chromium or Google Chrome binary, or unset it to ` +
        `search the usual places`,
    );
  }
  const playwright = context.playwrightChromium();
  if (playwright != null && context.isExecutable(playwright))
    return { path: playwright, source: "Playwright's Chromium" };
  const system = systemCandidates(context.platform, context.env).find((path) => context.isExecutable(path));
  if (system != null) return { path: system, source: 'system' };
  throw new BrowserNotFoundError(
    `no Chromium or Google Chrome found for the browser tests (${BROWSER_ENV_VARS.join(', ')} unset, no Playwright ` +
      `Chromium, none in the usual places): ${installHint(context.platform)}, or set TFJS_SKIP_BROWSER to its path`,
  );
}

function installHint(platform: NodeJS.Platform): string {
  const playwright = 'npx playwright install chromium';
  if (platform === 'darwin') return `install one (brew install --cask chromium, or ${playwright})`;
  if (platform === 'win32') return `install Google Chrome, or run ${playwright}`;
  return `install one (Debian/Ubuntu: sudo apt-get install chromium; or ${playwright})`;
}

/** The real machine: `process.env`, the file system, and playwright-core if it is installed. */
export function nodeContext(): BrowserSearchContext {
  return {
    env: process.env,
    platform: process.platform,
    isExecutable,
    playwrightChromium: () => playwrightPath,
  };
}

function isExecutable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

// playwright-core is a dev dependency of this repository; a checkout without
// it still finds a system browser.
const playwrightPath: string | undefined = await import('playwright-core')
  .then((pw) => pw.chromium.executablePath())
  .catch(() => undefined);
