/**
 * Writes the ONNX files python/tests/test_onnx.py checks, into OUT_DIR (a
 * temporary folder the test makes; nothing here is committed):
 *
 *   node --import tsx python/tests/make_onnx.ts OUT_DIR
 *
 * - `<zoo id>.onnx` for every zoo model in its small configuration (seeded
 *   weights, normalization statistics moved off their initial 0 and 1),
 *   written by `toOnnx`, and `cases.json` with a seeded input and TF.js's
 *   predictions on it for each;
 * - `resnet-8/`: ResNet-8 on 28x28x1 images with the probabilities head, a
 *   TF.js folder as `tfjs-skip train` (`npm start`) saves it, for the test to
 *   convert with the command line (`tfjs-skip convert resnet-8 resnet-8.onnx`),
 *   with its input and TF.js predictions in `cases.json` too.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { buildZooModel, resNet, toOnnx, ZOO_MODELS } from 'tfjs-skip';
import { fileSystem } from 'tfjs-skip/node';
import { addProbabilities } from 'tfjs-skip-train';

const out = process.argv[2];
if (out === undefined) throw new Error('usage: node --import tsx python/tests/make_onnx.ts OUT_DIR');
mkdirSync(out, { recursive: true });

type Arr = { shape: number[]; data: number[] };
const arr = (t: tf.Tensor): Arr => ({ shape: t.shape, data: Array.from(t.dataSync()) });

/** Gamma, beta and the moving statistics away from 1, 0, 0, 1, so that a mix-up shows. */
function perturbNormalization(model: tf.LayersModel): void {
  model.weights.forEach((w, i) => {
    const kind = /(moving_mean|moving_variance|gamma|beta)$/.exec(w.name)?.[1];
    if (kind === undefined) return;
    const r = tf.randomUniform(w.shape as number[], 0.5, 1.5, 'float32', 300 + i);
    w.write(kind === 'moving_variance' || kind === 'gamma' ? r : tf.sub(r, 1));
  });
}

const cases: { name: string; onnx: string; input: Arr; expected: Arr }[] = [];
for (const entry of ZOO_MODELS) {
  const model = buildZooModel(entry, entry.small);
  perturbNormalization(model);
  const input = tf.randomUniform([3, ...(model.inputs[0]!.shape.slice(1) as number[])], -1, 1, 'float32', 11);
  const file = `${entry.id}.onnx`;
  writeFileSync(join(out, file), await toOnnx(model));
  cases.push({ name: entry.id, onnx: file, input: arr(input), expected: arr(model.predict(input) as tf.Tensor) });
}

// What `npm start` saves: ResNet-8 on Fashion-MNIST's 28x28x1 images with the probabilities head.
const model = resNet({ depth: 8, inputShape: [28, 28, 1], classes: 10 });
addProbabilities(model);
perturbNormalization(model);
await model.save(fileSystem(join(out, 'resnet-8')));
const input = tf.randomUniform([4, 28, 28, 1], 0, 1, 'float32', 12);
cases.push({ name: 'cli', onnx: 'resnet-8.onnx', input: arr(input), expected: arr(model.predict(input) as tf.Tensor) });

writeFileSync(join(out, 'cases.json'), JSON.stringify({ cases }));
console.log(`make_onnx: ${cases.length} cases -> ${out}`);
