import * as tf from '@tensorflow/tfjs';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { worstOfScale } from './differences.js';
import { runPython } from './python.js';

/**
 * The layer-by-layer check of a keras.applications model's predictions (`layer_outputs.py`): each TF.js
 * layer fed the outputs Keras's layers gave on the same input, its output held against Keras's. Where a
 * net is so ill-conditioned at the test input that Keras's own float32 predictions are a large part of
 * the output's scale from its float64 ones, comparing final outputs only compares noise; layer by layer
 * no rounding is carried from one layer to the next, and each layer's output must be Keras's within
 * float32 rounding.
 */

/** Keras's output of one layer in `NAME.layer-outputs.bin`. */
interface Tapped {
  name: string;
  shape: number[];
  /** In floats. */
  offset: number;
}

/** The worst layer: its largest difference from Keras's output over that output's largest |value|. */
export interface LayerGap {
  worst: number;
  layer: string;
  /** How many layers were held against Keras's outputs. */
  compared: number;
}

/** Has Keras write every layer's output of FILE on `x` into DIR: `layer_outputs.py`. */
export function kerasLayerOutputs(
  dir: string,
  name: string,
  file: string,
  input: { xShape: number[]; x: number[]; training?: boolean },
): Map<string, { shape: number[]; values: Float32Array }> {
  const spec = join(dir, `${name}.layer-outputs.json`);
  const out = join(dir, `${name}.layer-outputs`);
  writeFileSync(spec, JSON.stringify({ xShape: input.xShape, x: input.x, training: input.training ?? false }));
  const { layers } = runPython('layer_outputs.py', [file, spec, out]) as { layers: Tapped[] };
  const bytes = readFileSync(`${out}.bin`);
  const all = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  return new Map(
    layers.map(({ name: layer, shape, offset }) => [
      layer,
      { shape, values: all.subarray(offset, offset + shape.reduce((a, b) => a * b, 1)) },
    ]),
  );
}

/**
 * Runs `model`'s layers in order, each on Keras's outputs of the layers feeding it (TF.js's own where Keras
 * has no layer of that name), in inference unless `training` (Keras's outputs must then be training's too),
 * and measures each output against Keras's.
 */
export function layerwiseGap(
  model: tf.LayersModel,
  x: tf.Tensor,
  keras: Map<string, { shape: number[]; values: Float32Array }>,
  training = false,
  /** Each compared layer's gap, for a diagnosis (which layers lose the most). */
  onLayer?: (layer: string, gap: number) => void,
): LayerGap {
  const ours = new Map<string, tf.Tensor>();
  const kerasTensor = (layer: string) => {
    const k = keras.get(layer);
    return k === undefined ? undefined : tf.tensor(k.values, k.shape);
  };
  const result: LayerGap = { worst: 0, layer: '', compared: 0 };
  try {
    for (const layer of model.layers) {
      const node = layer.inboundNodes[0];
      if (node.inboundLayers.length === 0) {
        ours.set(layer.name, x);
        continue;
      }
      tf.tidy(() => {
        const inputs = node.inboundLayers.map((from, i) => {
          if (node.tensorIndices[i] !== 0)
            throw new Error(
              `${layer.name}: input ${i} is output ${node.tensorIndices[i]} of ${from.name}; ` +
                'the layer-by-layer check follows single-output layers only',
            );
          const input = kerasTensor(from.name) ?? ours.get(from.name);
          if (input === undefined) throw new Error(`${layer.name}: no output of ${from.name} to feed it`);
          return input;
        });
        const y = layer.apply(inputs.length === 1 ? inputs[0] : inputs, { ...node.callArgs, training });
        if (Array.isArray(y)) throw new Error(`${layer.name} has ${y.length} outputs; the check follows one`);
        const expected = keras.get(layer.name);
        if (expected === undefined) {
          ours.set(layer.name, tf.keep(y as tf.Tensor));
          return;
        }
        const got = (y as tf.Tensor).dataSync();
        if (got.length !== expected.values.length)
          throw new Error(`${layer.name}: ${got.length} values, Keras's output has ${expected.values.length}`);
        // An all-zero output (a ReLU that is off everywhere) must be all zero: its scale is then 1.
        const gap = expected.values.some((v) => v !== 0) ? worstOfScale(got, expected.values) : largestMagnitude(got);
        result.compared += 1;
        onLayer?.(layer.name, gap);
        if (gap > result.worst) [result.worst, result.layer] = [gap, layer.name];
      });
    }
  } finally {
    for (const t of ours.values()) if (t !== x && !t.isDisposed) t.dispose();
  }
  return result;
}

function largestMagnitude(values: ArrayLike<number>): number {
  let largest = 0;
  for (let i = 0; i < values.length; i++) largest = Math.max(largest, Math.abs(values[i]));
  return largest;
}
