import { mkdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  learningRateAt,
  RECIPE_NAMES,
  RECIPES,
  recipeText,
  resolveRecipe,
  scheduleOf,
  type RecipeName,
} from 'tfjs-skip-train';
import type { PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CROSS_ORIGIN_ISOLATION } from '../isolation.js';
import {
  CHROMIUM_ARGS,
  PLAYGROUND,
  browserPath,
  buildPlayground,
  launchChromium,
  startPreview,
  watchErrors,
} from './harness.js';

const SCREENSHOTS = join(PLAYGROUND, 'screenshots');

let server: PreviewServer;
let url: string;
let browser: Browser;

beforeAll(async () => {
  browserPath(); // no browser: its one-line error, before the build
  mkdirSync(SCREENSHOTS, { recursive: true });
  await buildPlayground();
  ({ url, server } = await startPreview());
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(context: BrowserContext, query = ''): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${url}${query}`);
  await page.waitForSelector('body[data-ready=true]', { timeout: 60_000 });
  return { page, errors };
}

const logitsOf = (page: Page) => page.getAttribute('[data-testid=predictions]', 'data-logits');

/** The number of painted (non-transparent) pixels of the canvas inside `testid`. */
const paintedPixels = (page: Page, testid: string) =>
  page.$eval(`[data-testid=${testid}] canvas`, (canvas) => {
    const c = canvas as HTMLCanvasElement;
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) n++;
    return n;
  });

describe('the playground at 1280x800', () => {
  it('trains on a chosen backend, saves to IndexedDB and as a download, reloads both: equal predictions', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    const { page, errors } = await open(context);

    // The backend in use is shown; the default model's summary lists the paths of every SkipConnection.
    expect(['webgl', 'webgpu', 'wasm', 'cpu']).toContain(await page.inputValue('[data-testid=backend]'));
    expect(await page.textContent('[data-testid=backend-note]')).toMatch(/^using (webgl|webgpu|wasm|cpu)/);
    const summary = page.locator('[data-testid=summary]');
    // flatten, dense 784→64 (50,240), 6 residual blocks of two dense 64→64 (8,320 each), dense 64→10 (650).
    expect(await summary.getAttribute('data-total-params')).toBe('100810');
    expect(await summary.locator('tbody tr.skip').count()).toBe(6);
    expect(await summary.locator('.path-main').count()).toBe(12);
    expect(await summary.locator('.path-skip').count()).toBe(6);

    // Choose the wasm backend (with tfjs-wasm-train's kernels) and a smaller net, then train it and its plain twin.
    await page.selectOption('[data-testid=backend]', 'wasm');
    await expect.poll(() => page.textContent('[data-testid=backend-note]')).toMatch(/^using wasm/);
    await page.fill('#depth', '3');
    await page.dispatchEvent('#depth', 'change');
    await expect.poll(() => summary.getAttribute('data-total-params')).toBe(String(50240 + 3 * 8320 + 650));
    await page.fill('[data-testid=steps]', '40');
    await page.click('[data-testid=train]');
    await page.waitForSelector('[data-testid=status][data-state=trained]', { timeout: 120_000 });

    const loss = page.locator('[data-testid=loss-chart]');
    expect(await loss.getAttribute('data-steps')).toBe('40');
    const first = Number(await loss.getAttribute('data-first-loss'));
    const last = Number(await loss.getAttribute('data-last-loss'));
    expect(first).toBeGreaterThan(1.5); // about ln(10) = 2.30 untrained
    expect(last).toBeLessThan(first * 0.75);
    const accuracy = Number(await page.getAttribute('[data-testid=accuracy]', 'data-value'));
    expect(accuracy).toBeGreaterThan(0.4); // chance is 0.1
    expect(await page.textContent('[data-testid=accuracy] output')).toMatch(
      /residual_mlp3x64 \d+\.\d% · plain_mlp3x64 \d+\.\d%/,
    );
    expect(await paintedPixels(page, 'loss-chart')).toBeGreaterThan(1000);
    expect(await paintedPixels(page, 'grad-chart')).toBeGreaterThan(10_000);
    expect(await page.textContent('[data-testid=status]')).toMatch(/on wasm/);
    // Pointing at the heat map names the cell: model, layer, step, norm.
    await page.hover('[data-testid=grad-chart] canvas', { position: { x: 40, y: 30 } });
    expect(await page.textContent('#grad-cell')).toMatch(
      /^residual_mlp3x64 · dense_Dense\d+ · step \d+: ‖grad‖ = \d\.\d\de[-+]\d+$/,
    );

    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SCREENSHOTS, 'desktop-1280x800.png'), fullPage: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'desktop-1280x800-viewport.png') });

    const trained = await logitsOf(page);
    expect(JSON.parse(trained!)).toHaveLength(12);

    // Save to IndexedDB and as a download (model.json + weights.bin).
    await page.click('[data-testid=save-indexeddb]');
    await page.waitForSelector('[data-testid=io-status][data-state=done]');
    expect(await page.textContent('[data-testid=io-status]')).toMatch(/saved to indexeddb:\/\/tfjs-skip-playground/);
    const folder = await mkdtemp(join(tmpdir(), 'playground-download-'));
    const downloads: string[] = [];
    const twoDownloads = new Promise<void>((resolve) => {
      page.on('download', async (d) => {
        const path = join(folder, d.suggestedFilename());
        await d.saveAs(path);
        downloads.push(path);
        if (downloads.length === 2) resolve();
      });
    });
    await page.click('[data-testid=download]');
    await twoDownloads;
    expect(downloads.map((p) => p.slice(folder.length + 1)).sort()).toEqual([
      'residual_mlp3x64.json',
      'residual_mlp3x64.weights.bin',
    ]);

    // A fresh page (same browser profile) on the same backend: load from IndexedDB.
    await page.close();
    const again = await open(context, '?backend=wasm');
    expect(await again.page.inputValue('[data-testid=backend]')).toBe('wasm');
    expect(await logitsOf(again.page)).not.toBe(trained); // a fresh untrained model
    await again.page.click('[data-testid=load-indexeddb]');
    await again.page.waitForSelector('[data-testid=io-status][data-state=done]');
    expect(await again.page.textContent('[data-testid=io-status]')).toMatch(/loaded "residual_mlp3x64" from IndexedDB/);
    expect(await again.page.textContent('[data-testid=summary] caption')).toMatch(/loaded from IndexedDB/);
    expect(await logitsOf(again.page)).toBe(trained);

    // And from the downloaded files, through the file picker.
    await again.page.click('#model-select'); // any user action between the two loads
    await again.page.setInputFiles('[data-testid=load-files]', downloads);
    await again.page.waitForFunction(() =>
      /weights\.bin/.test(document.querySelector('[data-testid=io-status]')!.textContent ?? ''),
    );
    expect(await again.page.getAttribute('[data-testid=io-status]', 'data-state')).toBe('done');
    expect(await logitsOf(again.page)).toBe(trained);

    await rm(folder, { recursive: true, force: true });
    expect([...errors, ...again.errors]).toEqual([]);
    await context.close();
  });

  it('downloads the model as .keras and loads it back through "Load .keras" with equal predictions', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    const { page, errors } = await open(context, '?backend=cpu&model=resnet');
    await expect.poll(() => page.textContent('[data-testid=summary] caption')).toMatch(/Model "resnet8"/);
    const before = await logitsOf(page);
    const folder = await mkdtemp(join(tmpdir(), 'playground-keras-'));
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=download-keras]')]);
    expect(download.suggestedFilename()).toBe('resnet8.keras');
    const file = join(folder, download.suggestedFilename());
    await download.saveAs(file);
    await page.waitForSelector('[data-testid=io-status][data-state=done]');
    expect(await page.textContent('[data-testid=io-status]')).toMatch(/downloaded resnet8\.keras \(\d+\.\d KiB\)/);

    // A fresh untrained model first, so equal predictions can only come from the file.
    await page.selectOption('[data-testid=model-select]', 'compose');
    await expect.poll(() => logitsOf(page)).not.toBe(before);
    await page.setInputFiles('[data-testid=load-keras]', file);
    await page.waitForFunction(() =>
      /resnet8\.keras/.test(document.querySelector('[data-testid=io-status]')!.textContent ?? ''),
    );
    expect(await page.getAttribute('[data-testid=io-status]', 'data-state')).toBe('done');
    expect(await page.textContent('[data-testid=io-status]')).toMatch(/loaded "resnet8" from resnet8\.keras/);
    expect(await logitsOf(page)).toBe(before);

    await rm(folder, { recursive: true, force: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  it('builds zoo models, shows the library error for a bad depth, and offers no training for U-Net', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const { page, errors } = await open(context, '?backend=cpu');
    await page.selectOption('[data-testid=model-select]', 'resnet');
    await expect
      .poll(() => page.textContent('[data-testid=summary] caption'))
      .toMatch(/Model "resnet8" \(twin "plain8": [\d,]+ params\)/);
    expect(await page.locator('[data-testid=summary] tbody tr.skip').count()).toBe(3);
    // Option A (zero-pad) shortcuts are parameter-free: the ResNet and its plain twin have equal counts.
    const twinParams = /twin "plain8": ([\d,]+) params/
      .exec((await page.textContent('[data-testid=summary] caption'))!)![1]
      .replaceAll(',', '');
    expect(await page.getAttribute('[data-testid=summary]', 'data-total-params')).toBe(twinParams);

    await page.fill('#depth', '9');
    await page.dispatchEvent('#depth', 'change');
    await expect.poll(() => page.textContent('#model-error')).toMatch(/resnet depth must be 6n \+ 2 .* but received 9/);

    await page.selectOption('[data-testid=model-select]', 'unet');
    await expect.poll(() => page.textContent('[data-testid=summary] caption')).toMatch(/Model "unet"/);
    expect(await page.isHidden('#model-error')).toBe(true);
    expect(await page.isDisabled('[data-testid=train]')).toBe(true);
    expect(await page.textContent('[data-testid=status]')).toMatch(/U-Net outputs per-pixel logits/);

    await page.selectOption('[data-testid=model-select]', 'densenet');
    await expect.poll(() => page.textContent('[data-testid=summary] caption')).toMatch(/Model "densenet10_k12"/);
    expect(await page.isEnabled('[data-testid=train]')).toBe(true);
    expect(errors).toEqual([]);
    await context.close();
  });
});

// In headless Chromium, webgl renders with SwiftShader (software): slow, but the real shaders.
describe('every backend the page offers', () => {
  // WebGPU is offered: Chromium with --enable-unsafe-webgpu has an adapter (SwiftShader without a GPU).
  it.each(['webgl', 'webgpu', 'wasm', 'cpu'])('trains on %s', async (backend) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const { page, errors } = await open(context, `?backend=${backend}&depth=1&width=32`);
    expect(await page.inputValue('[data-testid=backend]')).toBe(backend);
    expect(await page.textContent('[data-testid=backend-note]')).toMatch(new RegExp(`^using ${backend}[^;]*$`));
    if (backend === 'webgpu') {
      expect(await page.textContent('[data-testid=backend-note]')).toMatch(/^using webgpu \(adapter: \S.*\)$/);
      expect(
        await page.$eval('[data-testid=backend] option[value=webgpu]', (o) => (o as HTMLOptionElement).disabled),
      ).toBe(false);
    }
    await page.fill('[data-testid=steps]', '30');
    await page.click('[data-testid=train]');
    await page.waitForSelector('[data-testid=status][data-state=trained]', { timeout: 120_000 });
    expect(await page.textContent('[data-testid=status]')).toContain(`on ${backend}:`);
    const loss = page.locator('[data-testid=loss-chart]');
    expect(Number(await loss.getAttribute('data-last-loss'))).toBeLessThan(
      Number(await loss.getAttribute('data-first-loss')),
    );
    expect(errors).toEqual([]);
    await context.close();
  });

  it('greys out webgpu, saying why, without a WebGPU adapter, and falls back from ?backend=webgpu', async () => {
    const noWebGPU = await launchChromium(CHROMIUM_ARGS.filter((a) => a !== '--enable-unsafe-webgpu'));
    try {
      const { page, errors } = await open(await noWebGPU.newContext(), '?backend=webgpu&depth=1&width=32');
      const option = await page.$eval('[data-testid=backend] option[value=webgpu]', (o) => ({
        disabled: (o as HTMLOptionElement).disabled,
        text: o.textContent,
        title: (o as HTMLOptionElement).title,
      }));
      expect(option).toEqual({
        disabled: true,
        text: 'webgpu (not available here)',
        title: 'this browser exposes WebGPU but no adapter (no GPU it can use)',
      });
      expect(await page.inputValue('[data-testid=backend]')).toBe('webgl');
      expect(await page.textContent('[data-testid=backend-note]')).toMatch(
        /^using webgl .*; this browser exposes WebGPU but no adapter \(no GPU it can use\)$/,
      );
      expect(errors).toEqual([]);
    } finally {
      await noWebGPU.close();
    }
  });

  it('keeps training the same models when the backend changes between runs', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const { page, errors } = await open(context, '?backend=webgl&depth=1&width=32');
    await page.fill('[data-testid=steps]', '5');
    for (const [i, backend] of ['webgl', 'wasm', 'cpu'].entries()) {
      if (backend !== 'webgl') {
        await page.selectOption('[data-testid=backend]', backend);
        await expect.poll(() => page.getAttribute('[data-testid=backend]', 'data-active')).toBe(backend);
      }
      await page.evaluate(() => document.querySelector('[data-testid=status]')!.removeAttribute('data-state'));
      await page.click('[data-testid=train]');
      await page.waitForSelector('[data-testid=status][data-state=trained]', { timeout: 120_000 });
      expect(await page.textContent('[data-testid=status]')).toMatch(
        new RegExp(`^trained ${5 * (i + 1)} steps in all .* on ${backend}:`),
      );
    }
    expect(await page.getAttribute('[data-testid=loss-chart]', 'data-steps')).toBe('15');
    expect(errors).toEqual([]);
    await context.close();
  });
});

// The recipes train through tfjs-skip-train's `fit`, as `tfjs-skip train --recipe` does: the page shows the rate
// of every step (what `fit` reported), checked here against the recipe's own schedule.
describe('the recipes of tfjs-skip-train', () => {
  /** The recipe as the page resolves it for `steps` steps on the 6,000-image sample, and its rate at every step. */
  const scheduleFor = (name: RecipeName, steps: number) => {
    const { learningRate, batchSize } = { ...RECIPES[name].settings } as { learningRate: number; batchSize: number };
    const stepsPerEpoch = Math.ceil(6000 / batchSize);
    const epochs = steps / stepsPerEpoch;
    const recipe = resolveRecipe(name, { learningRate, batchSize }, {}, { epochs, imageWidth: 28 });
    const schedule = scheduleOf(recipe, epochs, stepsPerEpoch);
    return { recipe, rates: Array.from({ length: steps }, (_, step) => learningRateAt(schedule, step)) };
  };

  /** Trains the default residual MLP and its plain twin under `recipe` for `steps` steps; the page's record of it. */
  async function trainWith(page: Page, recipe: RecipeName, steps: number) {
    await page.selectOption('[data-testid=recipe]', recipe);
    await page.fill('[data-testid=steps]', String(steps));
    await page.dispatchEvent('[data-testid=steps]', 'change');
    await page.click('[data-testid=train]');
    await page.waitForSelector('[data-testid=status][data-state=trained]', { timeout: 180_000 });
    const loss = page.locator('[data-testid=loss-chart]');
    return {
      rates: JSON.parse((await page.getAttribute('[data-testid=lr-chart]', 'data-rates'))!) as number[],
      steps: Number(await loss.getAttribute('data-steps')),
      first: Number(await loss.getAttribute('data-first-loss')),
      last: Number(await loss.getAttribute('data-last-loss')),
      accuracy: Number(await page.getAttribute('[data-testid=accuracy]', 'data-value')),
      status: await page.textContent('[data-testid=status]'),
      note: await page.textContent('[data-testid=recipe-note]'),
    };
  }

  it('lists every recipe tfjs-skip-train defines, and fills the rate and batch from the chosen one', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const { page, errors } = await open(context, '?backend=cpu&recipe=one-cycle&depth=1&width=16');
    const options = await page.$$eval('[data-testid=recipe] option', (all) =>
      all.map((o) => ({ value: (o as HTMLOptionElement).value, title: (o as HTMLOptionElement).title })),
    );
    expect(options).toEqual(RECIPE_NAMES.map((name) => ({ value: name, title: RECIPES[name].summary })));
    expect(await page.inputValue('[data-testid=recipe]')).toBe('one-cycle');
    expect([await page.inputValue('#lr'), await page.inputValue('#batch')]).toEqual(['0.2', '128']);
    await page.selectOption('[data-testid=recipe]', 'adam');
    expect([await page.inputValue('#lr'), await page.inputValue('#batch')]).toEqual(['0.001', '64']);
    await page.selectOption('[data-testid=recipe]', 'he2016');
    expect([await page.inputValue('#lr'), await page.inputValue('#batch')]).toEqual(['0.1', '128']);
    expect(await page.textContent('[data-testid=recipe-note]')).toBe(
      `${recipeText(scheduleFor('he2016', 150).recipe)}; 150 steps of 128 images (3.19 epochs of 47)`,
    );
    expect(errors).toEqual([]);
    await context.close();
  });

  it('trains with he2016: SGD at 0.1, x0.1 at 50% and 75% of the steps, crop and flip; the loss falls', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const { page, errors } = await open(context, '?backend=wasm&depth=1&width=32');
    const run = await trainWith(page, 'he2016', 60);
    expect(run.note).toMatch(/^he2016 recipe: SGD momentum 0\.9, rate 0\.1 step x0\.1 at epochs [\d.]+, [\d.]+, /);
    expect(run.steps).toBe(60);
    expect(run.rates).toEqual(scheduleFor('he2016', 60).rates);
    // The milestones of a 60-step run: steps 30 and 45.
    expect(run.rates.slice(29, 31).map((rate) => +rate.toPrecision(6))).toEqual([0.1, 0.01]);
    expect(run.rates.slice(44, 46).map((rate) => +rate.toPrecision(6))).toEqual([0.01, 0.001]);
    expect(await page.textContent('[data-testid=lr-value]')).toBe('0.001');
    expect(run.first).toBeGreaterThan(1.5); // about ln(10) = 2.30 untrained
    expect(run.last).toBeLessThan(run.first * 0.75);
    expect(run.accuracy).toBeGreaterThan(0.4); // chance is 0.1
    expect(run.status).toMatch(
      /^trained 60 steps in all .* on wasm: test accuracy residual_mlp1x32 [\d.]+%, plain_mlp1x32/,
    );
    expect(await paintedPixels(page, 'lr-chart')).toBeGreaterThan(200);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('trains with one-cycle: from 0.008 up to a 0.2 peak at 30% of the steps, then down; the loss falls', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const { page, errors } = await open(context, '?backend=wasm&depth=1&width=32');
    const run = await trainWith(page, 'one-cycle', 60);
    expect(run.note).toMatch(/^one-cycle recipe: SGD momentum 0\.9 \(Nesterov\), rate 0\.2 one-cycle, warm-up /);
    expect(run.steps).toBe(60);
    expect(run.rates).toEqual(scheduleFor('one-cycle', 60).rates);
    const peak = run.rates.indexOf(Math.max(...run.rates));
    expect(peak).toBe(18);
    expect(run.rates[0]).toBeCloseTo(0.2 / 25, 12);
    expect(run.rates[peak]).toBeCloseTo(0.2, 12);
    for (let step = 1; step < 60; step++) {
      if (step <= peak) expect(run.rates[step]).toBeGreaterThan(run.rates[step - 1]);
      else expect(run.rates[step]).toBeLessThan(run.rates[step - 1]);
    }
    expect(run.rates[59]).toBeLessThan(1e-5);
    expect(run.first).toBeGreaterThan(1.5);
    expect(run.last).toBeLessThan(run.first * 0.75);
    expect(run.accuracy).toBeGreaterThan(0.4);
    expect(run.status).toMatch(/^trained 60 steps in all .* on wasm: /);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('stops a run at the next step when Stop is pressed, and trains on from there', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const { page, errors } = await open(context, '?backend=cpu&depth=1&width=16');
    await page.fill('[data-testid=steps]', '2000');
    await page.click('[data-testid=train]');
    await expect.poll(() => page.getAttribute('[data-testid=loss-chart]', 'data-steps')).not.toMatch(/^[0-4]$/);
    expect(await page.textContent('[data-testid=train]')).toBe('Stop');
    await page.click('[data-testid=train]');
    await page.waitForSelector('[data-testid=status][data-state=trained]', { timeout: 60_000 });
    const stopped = Number(await page.getAttribute('[data-testid=loss-chart]', 'data-steps'));
    expect(stopped).toBeGreaterThanOrEqual(5);
    expect(stopped).toBeLessThan(2000);
    expect(await page.textContent('[data-testid=status]')).toMatch(new RegExp(`^trained ${stopped} steps in all`));
    expect(await page.textContent('[data-testid=train]')).toBe('Train');
    // The next press trains on: 5 more steps.
    await page.evaluate(() => document.querySelector('[data-testid=status]')!.removeAttribute('data-state'));
    await page.fill('[data-testid=steps]', '5');
    await page.click('[data-testid=train]');
    await page.waitForSelector('[data-testid=status][data-state=trained]', { timeout: 60_000 });
    expect(await page.getAttribute('[data-testid=loss-chart]', 'data-steps')).toBe(String(stopped + 5));
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('the wasm backend on every core', () => {
  it('runs threaded in a cross-origin isolated page, shows the thread count, and splits conv kernels', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const { page, errors } = await open(context, '?backend=wasm&depth=1&width=16');
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    expect(cores).toBeGreaterThan(1);
    const threads = page.locator('[data-testid=wasm-threads]');
    expect(await threads.isVisible()).toBe(true);
    expect(await threads.textContent()).toBe(String(cores));
    expect(await page.textContent('[data-testid=backend-note]')).toBe(
      `using wasm (SIMD, ${cores} threads), training kernels from tfjs-wasm-train`,
    );

    // A conv net: its convolutions (and their gradients) are what the threads share.
    await page.selectOption('#layers', 'conv');
    await expect.poll(() => page.textContent('[data-testid=summary] caption')).toMatch(/conv/);
    await page.fill('[data-testid=steps]', '4');
    await page.click('[data-testid=train]');
    await page.waitForSelector('[data-testid=status][data-state=trained]', { timeout: 120_000 });
    expect(await page.textContent('[data-testid=status]')).toContain('on wasm:');
    expect(Number(await threads.getAttribute('data-jobs'))).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('runs on one thread when asked (?threads=1), and trains a conv net there', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const { page, errors } = await open(context, '?backend=wasm&threads=1&depth=1&width=16');
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await page.textContent('[data-testid=wasm-threads]')).toBe('1');
    expect(await page.textContent('[data-testid=backend-note]')).toBe(
      'using wasm (SIMD, one thread), training kernels from tfjs-wasm-train',
    );
    await page.selectOption('#layers', 'conv');
    await expect.poll(() => page.textContent('[data-testid=summary] caption')).toMatch(/conv/);
    await page.fill('[data-testid=steps]', '3');
    await page.click('[data-testid=train]');
    await page.waitForSelector('[data-testid=status][data-state=trained]', { timeout: 120_000 });
    expect(await page.getAttribute('[data-testid=wasm-threads]', 'data-jobs')).toBe('0');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('runs on one thread and says why when the page is served without COOP/COEP', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.route('**/*', async (route) => {
      const response = await route.fetch();
      const headers = { ...response.headers() };
      for (const name of Object.keys(CROSS_ORIGIN_ISOLATION)) delete headers[name.toLowerCase()];
      await route.fulfill({ response, headers });
    });
    const { page, errors } = await open(context, '?backend=wasm&depth=1&width=16');
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
    expect(await page.textContent('[data-testid=wasm-threads]')).toBe('1');
    expect(await page.textContent('[data-testid=backend-note]')).toBe(
      'using wasm (SIMD, one thread: the page is not cross-origin isolated (serve it with ' +
        'Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp), ' +
        'so it has no SharedArrayBuffer), training kernels from tfjs-wasm-train',
    );
    expect(errors).toEqual([]);
    await context.close();
  });

  it('serves the page with the headers, and writes them to dist/_headers for static hosts', async () => {
    const response = await fetch(url);
    const assets = await fetch(new URL('assets/', url)); // any path: the headers are on every response
    for (const [name, value] of Object.entries(CROSS_ORIGIN_ISOLATION)) {
      expect(response.headers.get(name), name).toBe(value);
      expect(assets.headers.get(name), name).toBe(value);
    }
    const file = await readFile(join(PLAYGROUND, 'dist', '_headers'), 'utf8');
    expect(file).toBe('/*\n  Cross-Origin-Opener-Policy: same-origin\n  Cross-Origin-Embedder-Policy: require-corp\n');
  });
});

describe('the playground on a 390x844 phone viewport', () => {
  it('fits the width, trains, and draws its charts', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    const { page, errors } = await open(context, '?backend=cpu&depth=2&width=32');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.fill('[data-testid=steps]', '25');
    await page.tap('[data-testid=train]');
    await page.waitForSelector('[data-testid=status][data-state=trained]', { timeout: 120_000 });
    const loss = page.locator('[data-testid=loss-chart]');
    expect(Number(await loss.getAttribute('data-last-loss'))).toBeLessThan(
      Number(await loss.getAttribute('data-first-loss')),
    );
    for (const testid of ['model-select', 'train', 'backend', 'summary', 'loss-chart', 'grad-chart', 'accuracy']) {
      const box = await page.locator(`[data-testid=${testid}]`).boundingBox();
      expect(box, testid).not.toBeNull();
      expect(box!.x, testid).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width, testid).toBeLessThanOrEqual(390);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SCREENSHOTS, 'mobile-390x844.png'), fullPage: true });
    await page.screenshot({ path: join(SCREENSHOTS, 'mobile-390x844-viewport.png') });
    expect(errors).toEqual([]);
    await context.close();
  });
});
