import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BrowserNotFoundError, findBrowser, systemCandidates, type BrowserSearchContext } from './find_browser.js';

const PLAYWRIGHT = '/home/u/.cache/ms-playwright/chromium-1255/chrome-linux64/chrome';

/** A fake machine: only the paths in `executables` exist and are executable. */
function machine(
  executables: string[],
  env: Record<string, string> = {},
  platform: NodeJS.Platform = 'linux',
): BrowserSearchContext {
  const files = new Set(executables);
  return {
    env: { PATH: '/usr/local/bin:/usr/bin', ...env },
    platform,
    isExecutable: (p) => files.has(p),
    playwrightChromium: () => PLAYWRIGHT,
  };
}

function refusal(context: BrowserSearchContext): string {
  try {
    findBrowser(context);
  } catch (e) {
    expect(e).toBeInstanceOf(BrowserNotFoundError);
    return (e as Error).message;
  }
  throw new Error('expected findBrowser to refuse');
}

describe('findBrowser', () => {
  const all = ['/opt/mine/chrome', '/opt/other/chrome', PLAYWRIGHT, '/usr/bin/chromium', '/usr/bin/google-chrome'];

  it('takes TFJS_SKIP_BROWSER first, then CHROME_PATH, over Playwright and the system', () => {
    expect(
      findBrowser(machine(all, { TFJS_SKIP_BROWSER: '/opt/mine/chrome', CHROME_PATH: '/opt/other/chrome' })),
    ).toEqual({ path: '/opt/mine/chrome', source: '$TFJS_SKIP_BROWSER' });
    expect(findBrowser(machine(all, { CHROME_PATH: '/opt/other/chrome' }))).toEqual({
      path: '/opt/other/chrome',
      source: '$CHROME_PATH',
    });
  });

  it('refuses a variable that names no executable instead of guessing', () => {
    expect(refusal(machine(all, { TFJS_SKIP_BROWSER: '/opt/typo/chrome' }))).toBe(
      'TFJS_SKIP_BROWSER=/opt/typo/chrome is not an executable file: point it at a Chromium or Google Chrome binary, ' +
        'or unset it to search the usual places',
    );
  });

  it("takes Playwright's Chromium next, when it is installed", () => {
    expect(findBrowser(machine(all))).toEqual({ path: PLAYWRIGHT, source: "Playwright's Chromium" });
    expect(findBrowser(machine(all.filter((p) => p !== PLAYWRIGHT)))).toEqual({
      path: '/usr/bin/chromium',
      source: 'system',
    });
  });

  it('then the system: PATH in order, names in order, then fixed places', () => {
    expect(findBrowser(machine(['/usr/bin/chromium', '/usr/local/bin/chromium'])).path).toBe('/usr/local/bin/chromium');
    expect(findBrowser(machine(['/usr/local/bin/google-chrome', '/usr/bin/chromium-browser'])).path).toBe(
      '/usr/bin/chromium-browser',
    );
    expect(findBrowser(machine(['/usr/bin/chromium'], { PATH: '/nowhere' })).path).toBe('/usr/bin/chromium');
    expect(findBrowser(machine(['/opt/google/chrome/chrome'])).path).toBe('/opt/google/chrome/chrome');
  });

  it('looks in /Applications on macOS and Program Files on Windows', () => {
    const mac = '/Users/u/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';
    expect(findBrowser(machine([mac, '/usr/bin/chromium'], { HOME: '/Users/u' }, 'darwin'))).toEqual({
      path: mac,
      source: 'system',
    });
    expect(systemCandidates('darwin', {})[0]).toBe('/Applications/Chromium.app/Contents/MacOS/Chromium');
    const win = 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe';
    expect(findBrowser(machine([win], { PROGRAMFILES: 'C:\\Program Files' }, 'win32')).path).toBe(win);
  });

  it('with no browser anywhere, says in one line how to get one', () => {
    const line = refusal(machine([]));
    expect(line).not.toContain('\n');
    expect(line).toBe(
      'no Chromium or Google Chrome found for the browser tests (TFJS_SKIP_BROWSER, CHROME_PATH unset, no Playwright ' +
        'Chromium, none in the usual places): install one (Debian/Ubuntu: sudo apt-get install chromium; or npx ' +
        'playwright install chromium), or set TFJS_SKIP_BROWSER to its path',
    );
    expect(refusal(machine([], {}, 'darwin'))).toMatch(
      /install one \(brew install --cask chromium, or npx playwright install chromium\)/,
    );
  });
});

describe("npm test's first step (check_browser.ts)", () => {
  const script = fileURLToPath(new URL('./check_browser.ts', import.meta.url));
  const run = (env: Record<string, string>) =>
    spawnSync(process.execPath, ['--import', 'tsx', script], {
      env: { ...process.env, ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('names the browser it found', () => {
    const dir = mkdtempSync(join(tmpdir(), 'find-browser-'));
    const fake = join(dir, 'chrome');
    writeFileSync(fake, '#!/bin/sh\n');
    chmodSync(fake, 0o755);
    const found = run({ TFJS_SKIP_BROWSER: fake });
    expect(found.status).toBe(0);
    expect(found.stdout).toBe(`browser tests: ${fake} ($TFJS_SKIP_BROWSER)\n`);
  });

  it('stops with exit code 1 and one line on stderr', () => {
    const missing = run({ TFJS_SKIP_BROWSER: '/nonexistent/chrome' });
    expect(missing.status).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toBe(
      'npm test: TFJS_SKIP_BROWSER=/nonexistent/chrome is not an executable file: point it at a Chromium or Google ' +
        'Chrome binary, or unset it to search the usual places\n',
    );
  });
});
