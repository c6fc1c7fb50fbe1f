import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { resnet } from 'tfjs-skip';
import { fileSystem } from 'tfjs-skip/node';
import { runCli, tempDir } from '../testing/run-cli.js';

/** A small zoo model saved as a TF.js folder, with its predictions on a fixed input. */
async function savedResNet(dir: string): Promise<{ input: tf.Tensor; expected: Float32Array }> {
  const model = resnet({ depth: 8, inputShape: [8, 8, 1], classes: 3 });
  await model.save(fileSystem(dir));
  const input = tf.linspace(0, 1, 2 * 8 * 8).reshape([2, 8, 8, 1]);
  const expected = (model.predict(input) as tf.Tensor).dataSync() as Float32Array;
  model.dispose();
  return { input, expected };
}

async function predictions(dir: string, input: tf.Tensor): Promise<Float32Array> {
  const model = await tf.loadLayersModel(fileSystem(dir));
  const out = (model.predict(input) as tf.Tensor).dataSync() as Float32Array;
  model.dispose();
  return out;
}

describe('tfjs-skip convert', () => {
  it.each(['keras', 'h5'])('TF.js folder -> .%s -> TF.js folder keeps the predictions exactly', async (ext) => {
    const dir = tempDir();
    const { input, expected } = await savedResNet(join(dir, 'tfjs'));
    const keras = join(dir, `model.${ext}`);

    const there = await runCli(['convert', join(dir, 'tfjs'), keras]);
    expect(there.stderr).toBe('');
    expect(there.code).toBe(0);
    expect(there.stdout).toMatch(new RegExp(`-> .*model\\.${ext} \\(${ext}\\)`));
    const back = await runCli(['convert', keras, join(dir, 'back')]);
    expect(back.code).toBe(0);

    expect(await predictions(join(dir, 'back'), input)).toEqual(expected);
    input.dispose();
  });

  it('summarises a Keras file with --model FILE.keras', async () => {
    const dir = tempDir();
    await savedResNet(join(dir, 'tfjs')).then(({ input }) => input.dispose());
    await runCli(['convert', join(dir, 'tfjs'), join(dir, 'm.keras')]);
    const run = await runCli(['summary', '--model', join(dir, 'm.keras')]);
    expect(run.code).toBe(0);
    const tfjs = await tf.loadLayersModel(fileSystem(join(dir, 'tfjs')));
    expect(run.stdout).toContain(`Total params: ${tfjs.countParams().toLocaleString('en-US')}`);
    tfjs.dispose();
  });

  it('refuses a file that is not a Keras model in one line, writing nothing', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.keras'), 'PK\u0003\u0004 this is not a zip archive');
    const run = await runCli(['convert', join(dir, 'bad.keras'), join(dir, 'out')]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('bad.keras');
    expect(existsSync(join(dir, 'out'))).toBe(false);
    expect(readdirSync(dir)).toEqual(['bad.keras']);
  });

  it('refuses two TF.js folders: there is nothing to convert', async () => {
    const run = await runCli(['convert', 'a', 'b']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/two TF.js models.*name a \.keras or \.h5 file/);
  });
});
