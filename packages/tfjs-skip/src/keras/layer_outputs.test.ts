import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kerasLayerOutputs, layerwiseGap } from '../../test/keras/layer_outputs.js';
import { type Made, makeApps } from '../../test/keras/made.js';
import { disposeModel } from '../io/build_model.js';
import { loadModel } from '../io/load_model.js';
import { kerasFile } from '../node/keras_file.js';

// The layer-by-layer check keras_apps.test.ts holds ill-conditioned nets' predictions to (ILL_CONDITIONED),
// on a small net Keras builds here: each TF.js layer fed Keras's outputs of the layers before it.

const ARCH = 'MobileNetV3Small';
let dir = '';
let made: Made;
let keras: ReturnType<typeof kerasLayerOutputs>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'layer-outputs-'));
  [made] = makeApps(dir, [`${ARCH}:top:load`]);
  keras = kerasLayerOutputs(dir, made.name, made.files[0], made);
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function gapOf(change?: (model: tf.LayersModel) => void) {
  const model = await loadModel(kerasFile(made.files[0]));
  const x = tf.tensor(made.x, made.xShape);
  try {
    change?.(model);
    return layerwiseGap(model, x, keras);
  } finally {
    x.dispose();
    disposeModel(model);
  }
}

describe(`layer by layer against Keras (${ARCH} with its top)`, () => {
  it("holds every layer Keras has to Keras's output within float32 rounding", async () => {
    const gap = await gapOf();
    expect(gap.worst).toBeLessThan(1e-5);
    expect(gap.compared).toBe(keras.size);
  });

  it('names the layer whose weights differ from Keras', async () => {
    const gap = await gapOf((model) => {
      const layer = model.getLayer('expanded_conv_3_project');
      const [kernel] = layer.getWeights();
      layer.setWeights([tf.mul(kernel, 1.001)]);
    });
    expect(gap.layer).toBe('expanded_conv_3_project');
    expect(gap.worst).toBeGreaterThan(5e-4);
  });
});
