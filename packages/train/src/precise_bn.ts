import * as tf from '@tensorflow/tfjs';
import { walkLayers } from 'tfjs-skip';
import { batchNormMomentum, setBatchNormMomentum } from 'tfjs-skip-internals';
import { permutation, toBatch, type Dataset } from 'tfjs-skip-data';

/**
 * Every BatchNormalization layer of `model`, including those inside
 * SkipConnection paths, Shortcut projections and nested models: the ones
 * tfjs-skip's `walkLayers` meets.
 */
export function batchNormLayers(model: tf.LayersModel): tf.layers.Layer[] {
  return [...walkLayers(model)]
    .map(({ layer }) => layer)
    .filter((layer) => layer.getClassName() === 'BatchNormalization');
}

/**
 * "Precise BatchNorm": replaces the moving mean and variance of every
 * BatchNorm layer by their average over `batches` training batches of the
 * current weights (momentum `k / (k + 1)` on batch `k`, a running mean).
 * During a short run the moving averages lag far behind the weights, so a
 * model evaluated in inference mode scores well below its training
 * accuracy; this pass (forward only, training data only) closes that gap.
 */
export function preciseBatchNorm(
  model: tf.LayersModel,
  train: Dataset,
  seed: number,
  batches = 8,
  batchSize = 128,
): void {
  const layers = batchNormLayers(model);
  if (layers.length === 0) return;
  const momenta = layers.map((layer) => batchNormMomentum(layer));
  const order = permutation(train.count, seed);
  try {
    for (let k = 0; k < batches && k * batchSize < train.count; k++) {
      for (const layer of layers) setBatchNormMomentum(layer, k / (k + 1));
      const { xs, ys } = toBatch(train, order.subarray(k * batchSize, Math.min((k + 1) * batchSize, train.count)));
      tf.tidy(() => void model.apply(xs, { training: true }));
      tf.dispose([xs, ys]);
    }
  } finally {
    layers.forEach((layer, i) => setBatchNormMomentum(layer, momenta[i]));
  }
}
