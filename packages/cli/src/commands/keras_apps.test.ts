import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_LOAD_LIMITS, loadModel } from 'tfjs-skip';
import { kerasFile } from 'tfjs-skip/node';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, tempDir } from '../testing/run_cli.js';

// The command line on every keras.applications architecture: `summary`, `convert` and `train --model` on
// the .keras files Keras wrote for tfjs-skip's src/keras/keras_apps.test.ts. `npm run test:keras-apps`
// (packages/tfjs-skip/test/keras/run-apps.mjs) runs it after that test, each architecture's files in
// `KERAS_APPS_DIR`; without the folder there is nothing to run it on and it is skipped.

const DIR = process.env['KERAS_APPS_DIR'];
/** The models as Keras built them (`ARCH-top.keras`, `ARCH-notop.keras`), not the copies made from them. */
const FILES = DIR === undefined ? [] : readdirSync(DIR).filter((f) => /^[A-Za-z0-9]+-(top|notop)\.keras$/.test(f));
/** Big nets (ConvNeXtXLarge: 350M parameters) load for minutes on a busy 2-core machine. */
const TIMEOUT = 3_600_000;
/**
 * The files are Keras's own, so trusted: this test's own loads allow up to this many parameters. Over the
 * safe loader's default (2^28; ConvNeXtXLarge holds 350M) the commands need `--max-parameters`, as a user's would.
 */
const TRUSTED = 2 ** 29;

/** The flags the commands need for a model of `params` parameters: `--max-parameters` over the default. */
function limitFlags(params: number): string[] {
  return params > DEFAULT_LOAD_LIMITS.maxParameters ? ['--max-parameters', String(params)] : [];
}

function cli(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: TIMEOUT });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The model's predictions on a fixed input of its own shape, and its parameter count. */
async function predictions(file: string): Promise<{ y: Float32Array; params: number }> {
  const model = await loadModel(kerasFile(file, { maxParameters: TRUSTED }), { maxParameters: TRUSTED });
  try {
    const [, ...shape] = model.inputs[0].shape.map((d) => d ?? 1);
    const y = tf.tidy(() => {
      const size = shape.reduce((a, b) => a * b, 1);
      const x = tf.linspace(-1, 1, size).reshape([1, ...shape]);
      return (model.predict(x) as tf.Tensor).dataSync() as Float32Array;
    });
    return { y, params: model.countParams() };
  } finally {
    model.dispose();
  }
}

describe.skipIf(DIR === undefined)('tfjs-skip summary, convert and train --model on keras.applications', () => {
  it('has the files Keras wrote', () => {
    expect(FILES.length, `.keras files in ${DIR}`).toBeGreaterThan(0);
  });

  for (const name of FILES) {
    const file = join(DIR ?? '', name);

    it(
      `${name}: summary lists it with its parameter count`,
      async () => {
        const { params } = await predictions(file);
        if (limitFlags(params).length > 0) {
          const refused = cli(['summary', '--model', file]);
          expect(refused.status, 'over the default maxParameters').toBe(1);
          expect(refused.stderr).toContain('--max-parameters');
        }
        const run = cli(['summary', '--model', file, ...limitFlags(params)]);
        expect(run.stderr).toBe('');
        expect(run.status).toBe(0);
        expect(run.stdout).toContain(`Total params: ${params.toLocaleString('en-US')}`);
      },
      TIMEOUT,
    );

    it(
      `${name}: convert to .h5 and on to .keras keeps its predictions`,
      async () => {
        const dir = tempDir();
        const h5 = join(dir, 'model.h5');
        const back = join(dir, 'model.keras');
        const original = await predictions(file);
        for (const [from, to] of [
          [file, h5],
          [h5, back],
        ]) {
          const run = cli(['convert', from, to, ...limitFlags(original.params)]);
          expect(run.stderr, `convert ${from} ${to}`).toBe('');
          expect(run.status, `convert ${from} ${to}`).toBe(0);
        }
        const converted = await predictions(back);
        expect(converted.params).toBe(original.params);
        expect(converted.y).toEqual(original.y);
      },
      TIMEOUT,
    );

    it(
      `${name}: train --model fine-tunes it on the Fashion-MNIST sample, saying how its head was made`,
      async () => {
        const out = tempDir();
        const { params } = await predictions(file);
        const args = ['train', '--model', file, '--examples', '40', '--epochs', '1', '--batch-size', '20'];
        args.push(...limitFlags(params));
        const run = cli([...args, '--out', out]);
        expect(run.stderr).toBe('');
        expect(run.status).toBe(0);
        // The sample has 10 classes, the files' classifiers 5 (make_apps.py): replaced, or added without one.
        expect(run.stdout).toMatch(
          name.endsWith('-top.keras') ? /head replaced by a new Dense of 10 classes/ : /no classifier/,
        );
        const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as Record<string, unknown>;
        expect(metrics['testAccuracy'], 'metrics.json testAccuracy').toBeTypeOf('number');
        expect(Number.isFinite(metrics['testLoss']), 'metrics.json testLoss').toBe(true);
      },
      TIMEOUT,
    );
  }
});
