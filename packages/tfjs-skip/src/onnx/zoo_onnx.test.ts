import * as tf from '@tensorflow/tfjs';
import { describe, it } from 'vitest';
import { buildZooModel, ZOO_MODELS } from '../zoo/index.js';
import { toOnnx } from './to_onnx.js';
import { expectSamePredictions, perturbNormalization, runOnnx, seededInput } from './ort.test_support.js';

// Every zoo model, in its small configuration, exported and run in ONNX
// Runtime (onnxruntime-node: the runtime's native build), against TF.js's own
// predictions on the same input.
describe.each(ZOO_MODELS.map((m) => [m.id, m] as const))('zoo model %s in ONNX Runtime', (_id, entry) => {
  it.each(['channelsLast', 'channelsFirst'] as const)('predicts what TF.js predicts, %s', async (layout) => {
    const model = buildZooModel(entry, entry.small);
    perturbNormalization(model);
    const shape = [3, ...(model.inputs[0]!.shape.slice(1) as number[])];
    const input = seededInput(shape, 1);
    const expected = model.predict(input) as tf.Tensor;
    const bytes = await toOnnx(model, { layout });
    const nchw = (t: tf.Tensor) => (t.rank === 4 ? tf.transpose(t, [0, 3, 1, 2]) : t);
    const feed = layout === 'channelsFirst' ? nchw(input) : input;
    const [got] = await runOnnx(bytes, [feed]);
    expectSamePredictions(got!, layout === 'channelsFirst' ? nchw(expected) : expected);
    tf.dispose([input, expected, feed, got!]);
    model.dispose();
  });
});
