import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { expect } from 'vitest';

/** The relative tolerance the export is held to: |onnx - tfjs| <= 1e-4 * max(1e-2, |tfjs|). */
export const RELATIVE_TOLERANCE = 1e-4;

/** Runs ONNX `bytes` in ONNX Runtime (onnxruntime-node) on `inputs`, in the graph's input order: its outputs. */
export async function runOnnx(bytes: Uint8Array, inputs: readonly tf.Tensor[]): Promise<tf.Tensor[]> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const feeds: Record<string, ort.Tensor> = {};
    session.inputNames.forEach((name, i) => {
      const x = inputs[i]!;
      feeds[name] =
        x.dtype === 'int32'
          ? new ort.Tensor('int32', x.dataSync() as Int32Array, x.shape)
          : new ort.Tensor('float32', x.dataSync() as Float32Array, x.shape);
    });
    const results = await session.run(feeds);
    return session.outputNames.map((name) => {
      const out = results[name]!;
      return tf.tensor(out.data as Float32Array, out.dims as number[]);
    });
  } finally {
    await session.release();
  }
}

/** Asserts `got` (ONNX Runtime's) has `expected`'s shape and values within {@link RELATIVE_TOLERANCE}. */
export function expectSamePredictions(got: tf.Tensor, expected: tf.Tensor): void {
  expect(got.shape).toEqual(expected.shape);
  const a = got.dataSync();
  const b = expected.dataSync();
  let worst = 0;
  let at = -1;
  for (let i = 0; i < b.length; i++) {
    const error = Math.abs(a[i]! - b[i]!) / Math.max(1e-2, Math.abs(b[i]!));
    if (!(error <= worst)) [worst, at] = [error, i];
  }
  expect(worst, `worst relative error at ${at}: onnx ${a[at]} vs tfjs ${b[at]}`).toBeLessThanOrEqual(
    RELATIVE_TOLERANCE,
  );
}

/** A seeded input in [-1, 1) of `shape`. */
export function seededInput(shape: number[], seed: number): tf.Tensor {
  return tf.randomUniform(shape, -1, 1, 'float32', seed);
}

/**
 * Gives every BatchNormalization (and LayerNormalization) non-trivial
 * parameters and statistics: a freshly built model has mean 0, variance 1,
 * gamma 1 and beta 0, which would hide a mix-up of any two of them.
 */
export function perturbNormalization(model: tf.LayersModel): void {
  model.weights.forEach((w, i) => {
    const kind = /(moving_mean|moving_variance|gamma|beta)$/.exec(w.name)?.[1];
    if (kind === undefined) return;
    const r = tf.randomUniform(w.shape as number[], 0.5, 1.5, 'float32', 100 + i);
    w.write(kind === 'moving_variance' || kind === 'gamma' ? r : tf.sub(r, 1));
  });
}

/**
 * Seeded weights for every variable of `model`: N(0, 0.5), a moving variance
 * U(0.5, 1.5). Freshly built layers have zero biases, unit gammas, zero means
 * and unit variances, which would hide a mix-up of any two of them.
 */
export function randomizeWeights(model: tf.LayersModel): void {
  model.weights.forEach((w, i) => {
    const shape = w.shape as number[];
    w.write(
      w.name.endsWith('moving_variance')
        ? tf.randomUniform(shape, 0.5, 1.5, 'float32', 200 + i)
        : tf.randomNormal(shape, 0, 0.5, 'float32', 200 + i),
    );
  });
}
