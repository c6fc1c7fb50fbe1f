/**
 * TF.js's side of a per-layer training-step comparison with Keras: reads what `gradient_gap.py` wrote and
 * prints, for every trainable weight, how far TF.js's gradient and Keras's float32 one are from Keras's
 * float64 one (each over the largest float64 gradient of that weight), then every BatchNormalization
 * output element whose sign TF.js or Keras's float32 gets opposite to float64's (the input of a ReLU there
 * lies within rounding of its kink: the two sides pass and block its gradient).
 *
 * Usage: `npx tsx packages/tfjs-skip/test/keras/gradient_gap.ts OUT_DIR [THRESHOLD]`, weights printed
 * where TF.js's difference exceeds THRESHOLD (default 1e-3).
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModel } from '../../src/io/load_model.js';
import { kerasFile } from '../../src/node/keras_file.js';

interface Meta {
  trainX: number[];
  trainXShape: number[];
  target: number[];
  targetShape: number[];
  loss32: number;
  loss64: number;
  weights: string[];
  weightShapes: number[][];
  norms: string[];
  normShapes: number[][];
}

/** The arrays of `file`, one after the other, each `sizes[i]` long. */
function arrays(file: string, sizes: number[], bytes: 4 | 8): Float64Array[] {
  const buffer = readFileSync(file);
  let offset = 0;
  return sizes.map((size) => {
    const view = new DataView(buffer.buffer, buffer.byteOffset + offset, size * bytes);
    offset += size * bytes;
    return Float64Array.from({ length: size }, (_, i) =>
      bytes === 4 ? view.getFloat32(i * 4, true) : view.getFloat64(i * 8, true),
    );
  });
}

const sizeOf = (shape: number[]) => shape.reduce((product, n) => product * n, 1);

/** The index of element `flat` of an array of `shape`, `[b, h, w, c]`. */
function indexOf(flat: number, shape: number[]): number[] {
  return shape.reduceRight<number[]>((index, n, axis) => {
    const stride = sizeOf(shape.slice(axis + 1));
    return [Math.floor(flat / stride) % n, ...index];
  }, []);
}

async function main(dir: string, threshold: number): Promise<void> {
  await tf.setBackend('cpu');
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as Meta;
  const model = await loadModel(kerasFile(join(dir, 'train.keras')));
  const x = tf.tensor(meta.trainX, meta.trainXShape);
  const target = tf.tensor(meta.target, meta.targetShape);
  const probe = tf.model({
    inputs: model.inputs,
    outputs: [model.outputs[0], ...meta.norms.map((name) => model.getLayer(name).output as tf.SymbolicTensor)],
  });
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  let outputs: tf.Tensor[] = [];
  const { value, grads } = tf.variableGrads(() => {
    const [y, ...norms] = probe.apply(x, { training: true }) as tf.Tensor[];
    outputs = norms.map((norm) => tf.keep(norm));
    return tf.mean(tf.square(tf.sub(y, target))) as tf.Scalar;
  }, variables);
  console.log(`loss: TF.js ${value.dataSync()[0]}, Keras float32 ${meta.loss32}, float64 ${meta.loss64}`);

  const weightSizes = meta.weightShapes.map(sizeOf);
  const grads32 = arrays(join(dir, 'grads32.bin'), weightSizes, 4);
  const grads64 = arrays(join(dir, 'grads64.bin'), weightSizes, 8);
  meta.weights.forEach((path, i) => {
    const ours = grads[variables[i].name].dataSync();
    let largest = 0;
    let keras = 0;
    let tfjs = 0;
    for (let j = 0; j < ours.length; j++) {
      largest = Math.max(largest, Math.abs(grads64[i][j]));
      keras = Math.max(keras, Math.abs(grads32[i][j] - grads64[i][j]));
      tfjs = Math.max(tfjs, Math.abs(ours[j] - grads64[i][j]));
    }
    // Gradients that are rounding of zero (a BatchNorm's beta before another BatchNorm) say nothing.
    if (largest > 1e-8 && tfjs / largest > threshold) {
      const ratio = (n: number) => (n / largest).toExponential(2);
      console.log(
        `${path} (${model.trainableWeights[i].originalName}): TF.js ${ratio(tfjs)}, Keras float32 ${ratio(keras)}`,
      );
    }
  });

  const normSizes = meta.normShapes.map(sizeOf);
  const outputs32 = arrays(join(dir, 'outputs32.bin'), normSizes, 4);
  const outputs64 = arrays(join(dir, 'outputs64.bin'), normSizes, 8);
  meta.norms.forEach((name, i) => {
    const ours = outputs[i].dataSync();
    for (let j = 0; j < ours.length; j++) {
      const exact = Math.sign(outputs64[i][j]);
      if (Math.sign(ours[j]) !== exact || Math.sign(outputs32[i][j]) !== exact)
        console.log(
          `${name} output [${indexOf(j, meta.normShapes[i])}]: float64 ${outputs64[i][j]}, ` +
            `Keras float32 ${outputs32[i][j]}, TF.js ${ours[j]}`,
        );
    }
  });
}

await main(process.argv[2] ?? '', Number(process.argv[3] ?? '1e-3'));
