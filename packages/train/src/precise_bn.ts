import * as tf from '@tensorflow/tfjs';
import { permutation, toBatch, type Dataset } from 'tfjs-skip-data';

/** The one field of tfjs-layers' BatchNormalization set here (declared private there). */
interface BatchNormLike {
  momentum: number;
}

/**
 * Every BatchNormalization layer of `model`, including those inside
 * SkipConnection paths and other nested layers (found through their
 * `mainPath`, `skipPath`, `projection`, `layers` and `layer` fields).
 */
export function batchNormLayers(model: tf.LayersModel): tf.layers.Layer[] {
  const found: tf.layers.Layer[] = [];
  const visit = (layer: unknown): void => {
    if (!(layer instanceof tf.layers.Layer)) return;
    if (layer.getClassName() === 'BatchNormalization') found.push(layer);
    const nested = layer as unknown as Record<string, unknown>;
    for (const key of ['mainPath', 'skipPath', 'projection', 'layers']) {
      const value = nested[key];
      if (Array.isArray(value)) value.forEach(visit);
    }
    visit(nested['layer']);
  };
  model.layers.forEach(visit);
  return found;
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
  const layers = batchNormLayers(model) as unknown as BatchNormLike[];
  if (layers.length === 0) return;
  const momenta = layers.map((l) => l.momentum);
  const order = permutation(train.count, seed);
  try {
    for (let k = 0; k < batches && k * batchSize < train.count; k++) {
      for (const l of layers) l.momentum = k / (k + 1);
      const { xs, ys } = toBatch(train, order.subarray(k * batchSize, Math.min((k + 1) * batchSize, train.count)));
      tf.tidy(() => void model.apply(xs, { training: true }));
      tf.dispose([xs, ys]);
    }
  } finally {
    layers.forEach((l, i) => (l.momentum = momenta[i]));
  }
}
