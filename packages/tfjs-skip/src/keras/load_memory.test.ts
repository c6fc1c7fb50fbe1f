/**
 * The peak memory of loading a big Keras file, in a fresh process that only
 * loads (as `npm run bench:keras-load -w tfjs-skip-bench` measures VGG16 and
 * InceptionResNetV2), so that a change that brings back a copy of the
 * weights fails here instead of in the bench.
 *
 * The bound: `loadModel(kerasFile(...))` must hold the file's weights (the
 * `.h5` file's bytes, or the `model.weights.h5` entry of a `.keras` archive
 * streamed from disk) and the model's weights, one weight-sized copy each:
 * 2x the weights, plus a few tens of MiB that do not grow with the model
 * (h5wasm's WebAssembly memory; the archive's chunks and inflated pieces, the
 * collector's garbage until V8 collects it). Measured for this 128 MiB model:
 * 1.9-2.4x on Node 20, up to 2.8x on Node 24 (see `bound` below). The test
 * allows 3x, over the 2.5x: each copy this loader used to make (the
 * archive beside its inflated entry, the joined weight data, a second model
 * for the handler's verification, h5wasm's copy of a weight in WebAssembly
 * memory and its copy out of it) is 1x here, as the model's one dense kernel
 * is almost all of its weights, so any of them coming back fails in all but
 * the lowest measurements (the loader measured 5.2x to 5.7x before). Memory, not time: how long the load takes
 * on a busy machine changes nothing here. The floor (Node, TF.js, tfjs-skip
 * and h5wasm loaded, a small Keras file loaded once) is measured before the
 * big load and subtracted.
 */
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kerasFile } from '../node/index.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const loadModelSource = fileURLToPath(new URL('../io/load_model.ts', import.meta.url));
const kerasFileSource = fileURLToPath(new URL('../node/keras_file.ts', import.meta.url));

/** 4096 inputs to 8192 units: 33.6M parameters, 128 MiB of float32 weights. */
function bigModel(): tf.Sequential {
  return tf.sequential({ layers: [tf.layers.dense({ units: 8192, inputShape: [4096] })] });
}

function smallModel(): tf.Sequential {
  return tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4] })] });
}

interface ChildLoad {
  before: number;
  peak: number;
  params: number;
  tensors: number;
  weights: number;
}

/** Loads `small`, then `big`, in a fresh Node process; its RSS before the big load and its peak RSS. */
function loadInChild(small: string, big: string): ChildLoad {
  const script = `
    import * as tf from '@tensorflow/tfjs';
    import { readFileSync } from 'node:fs';
    const { loadModel } = await import(${JSON.stringify(loadModelSource)});
    const { kerasFile } = await import(${JSON.stringify(kerasFileSource)});
    await tf.setBackend('cpu');
    const rss = () => Number(readFileSync('/proc/self/statm', 'utf8').split(' ')[1]) * 4096;
    (await loadModel(kerasFile(${JSON.stringify(small)}))).dispose();
    const before = rss();
    const model = await loadModel(kerasFile(${JSON.stringify(big)}));
    const peak = process.resourceUsage().maxRSS * 1024;
    const [params, tensors, weights] = [model.countParams(), tf.memory().numTensors, model.weights.length];
    const load = { before, peak, params, tensors, weights };
    console.log(JSON.stringify(load));
  `;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (child.status !== 0) throw new Error(`the loading process failed (${child.status}): ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '') as ChildLoad;
}

describe('the peak memory of loading a big Keras file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keras-memory-'));
  const files = { keras: join(dir, 'big.keras'), stored: join(dir, 'big-stored.keras'), h5: join(dir, 'big.h5') };
  const params = 4096 * 8192 + 8192;

  beforeAll(async () => {
    const model = bigModel();
    await model.save(kerasFile(files.keras));
    await model.save(kerasFile(files.h5));
    model.dispose();
    // Keras stores model.weights.h5 uncompressed; tfjs-skip's writer deflates it: both kinds are loaded.
    const entries = unzipSync(readFileSync(files.keras));
    writeFileSync(files.stored, zipSync(entries, { level: 0 }));
    const small = smallModel();
    await small.save(kerasFile(join(dir, 'small.keras')));
    await small.save(kerasFile(join(dir, 'small.h5')));
    small.dispose();
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /**
   * The bound. Measured on the 2-core development machine, peak RSS above the floor is 1.9-2.4x the weights
   * on Node 20 and 1.95-2.8x on Node 24 (the deflated archive the highest): the floor, RSS after a small
   * load, moves by 0.3x with when V8 last collected. An extra copy of the weights coming back adds 1.0x, so
   * 3.0x still fails on one in all but the lowest of these measurements, while the measured peaks pass on
   * both Node versions CI runs. The 2.5x is the bench's figure (`npm run bench:keras-load`).
   */
  const bound = 3.0;
  /**
   * The lowest of three loads, each in its own process, is held to the bound. A copy of the weights is in
   * every load; the collector's lateness is not: once, in a CI run of the whole suite, one load measured
   * 3.01x where the same load measures 2.2-2.4x alone.
   */
  const tries = 3;

  it.each([
    ['a .keras archive, weights stored', 'stored', 'small.keras'],
    ['a .keras archive, weights deflated', 'keras', 'small.keras'],
    ['a legacy .h5 file', 'h5', 'small.h5'],
  ] as const)(
    '%s: peak RSS above the floor is at most 3x the weights',
    (_, file, small) => {
      const weightBytes = params * 4;
      const loads = Array.from({ length: tries }, () => loadInChild(join(dir, small), files[file]));
      for (const load of loads) {
        expect(load.params).toBe(params);
        // Nothing leaked: the only tensors left are the model's two weights.
        expect([load.weights, load.tensors]).toEqual([2, 2]);
      }
      const ratios = loads.map((load) => (load.peak - load.before) / weightBytes);
      const seen = loads.map((l, i) => `${ratios[i]!.toFixed(2)}x (peak ${l.peak} B, floor ${l.before} B)`).join(', ');
      expect(Math.min(...ratios), `weights ${weightBytes} B; loads: ${seen}`).toBeLessThanOrEqual(bound);
    },
    600_000,
  );
});
