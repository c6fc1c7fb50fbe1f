/**
 * A process killed (SIGKILL: no cleanup, no finally) in the middle of
 * `model.save(fileSystem(dir))` leaves a folder that loads exactly the
 * previous model, or exactly the new one once model.json was replaced:
 * never a mix, never a refusal.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { skipConnection } from '../index.js';
import { fileSystem, loadModelFromDir } from './index.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const nodeIndex = fileURLToPath(new URL('./index.ts', import.meta.url));
const mainIndex = fileURLToPath(new URL('../index.ts', import.meta.url));

/** The same architecture in parent and child; every weight set to `value`. */
const modelSource = `
  const model = (value) => {
    const m = tf.sequential({ layers: [
      skipConnection({
        inputShape: [4],
        mainPath: [tf.layers.dense({ units: 8, activation: 'relu' }), tf.layers.dense({ units: 4 })],
      }),
      tf.layers.dense({ units: 2 }),
    ] });
    m.setWeights(m.getWeights().map((w) => tf.fill(w.shape, value)));
    return m;
  };`;

function constantModel(value: number): tf.LayersModel {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- one source builds the model here and in the child
  const build = new Function('tf', 'skipConnection', `${modelSource} return model(${value});`) as (
    t: typeof tf,
    s: typeof skipConnection,
  ) => tf.LayersModel;
  return build(tf, skipConnection);
}

/**
 * Saves a model of weights 0.75 to `dir` in a child process that SIGKILLs
 * itself at the `killAt`-th `fs.promises.rename` (the weights file's is the
 * 1st, model.json's the 2nd), before or after performing it.
 */
function saveAndDie(dir: string, killAt: number, after: boolean): NodeJS.Signals | null {
  const script = `
    import fs from 'node:fs';
    import * as tf from '@tensorflow/tfjs';
    const { skipConnection } = await import(${JSON.stringify(mainIndex)});
    const { fileSystem } = await import(${JSON.stringify(nodeIndex)});
    await tf.setBackend('cpu');
    ${modelSource}
    const rename = fs.promises.rename;
    let calls = 0;
    fs.promises.rename = async (...args) => {
      calls += 1;
      if (calls === ${killAt} && !${after}) process.kill(process.pid, 'SIGKILL');
      await rename(...args);
      if (calls === ${killAt} && ${after}) process.kill(process.pid, 'SIGKILL');
    };
    await model(0.75).save(fileSystem(${JSON.stringify(dir)}));
    console.log('the save finished without being killed');
  `;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(child.stdout).not.toContain('finished');
  return child.signal;
}

async function loadedWeight(dir: string): Promise<number[]> {
  const loaded = await loadModelFromDir(dir);
  const values = [...new Set(loaded.getWeights().flatMap((w) => [...w.dataSync()]))];
  loaded.dispose();
  return values;
}

describe('a save killed with SIGKILL', () => {
  it.each([
    ['after writing the new weights file, before renaming it into place', 1, false, 0.25],
    ['after renaming the new weights into place, before replacing model.json', 2, false, 0.25],
    ['right after replacing model.json, before removing the old weights', 2, true, 0.75],
  ])('%s leaves a model that loads identically', async (_when, killAt, after, expected) => {
    const dir = mkdtempSync(join(tmpdir(), 'tfjs-skip-kill-'));
    const previous = constantModel(0.25);
    await previous.save(fileSystem(dir));
    const x = tf.randomNormal([5, 4]);
    const before = previous.predict(x) as tf.Tensor;

    expect(saveAndDie(dir, killAt, after)).toBe('SIGKILL');

    expect(await loadedWeight(dir)).toEqual([expected]);
    if (expected === 0.25) {
      const loaded = await loadModelFromDir(dir);
      const after = loaded.predict(x) as tf.Tensor;
      expect([...after.dataSync()]).toEqual([...before.dataSync()]);
      tf.dispose([after]);
      loaded.dispose();
    }
    tf.dispose([x, before]);
    previous.dispose();
    // The next save cleans up and wins.
    const next = constantModel(0.5);
    await next.save(fileSystem(dir));
    expect(await loadedWeight(dir)).toEqual([0.5]);
    expect(readdirSync(dir).filter((f) => f.startsWith('weights.') && f.endsWith('.bin'))).toHaveLength(1);
    next.dispose();
  });
});
