import * as tf from '@tensorflow/tfjs';
import { variableOf } from 'tfjs-skip-internals';

/**
 * Checks the zoo's tests run on every model, framework-agnostic (they return
 * numbers and the tests assert on them). Test support only, out of `dist`
 * (`tsconfig.json` and `files` leave out `*.test_support.ts`). It does not
 * import tfjs-skip-train: that package depends on this one (precise BatchNorm
 * walks layers with `walkLayers`), so importing it here would load a second
 * copy of tfjs-skip, whose classes would then deserialize saved models.
 */

/** Trainable parameters: what the papers count (BatchNorm moving statistics are buffers, not parameters). */
export function trainableParams(model: tf.LayersModel): number {
  return model.trainableWeights.reduce((n, w) => n + tf.util.sizeFromShape(w.shape as number[]), 0);
}

/** `count` rounds to `published` ('0.27M', '1.7M') at the precision the paper prints. */
export function roundsTo(count: number, published: string): boolean {
  const digits = published.slice(0, -1).split('.')[1]?.length ?? 0;
  return (count / 1e6).toFixed(digits) === published.slice(0, -1);
}

/**
 * One SGD step on `x` with random labels, the convention tfjs-skip-train
 * trains by: softmax cross-entropy on the logits (the last axis) against
 * integer labels, with the layers in training mode. Returns the loss and how
 * many trainable weight tensors the step changed.
 */
export async function trainStep(
  model: tf.LayersModel,
  x: tf.Tensor,
): Promise<{ loss: number; changed: number; total: number }> {
  const out = model.outputs[0].shape;
  const classes = out[out.length - 1] as number;
  const labels = tf.randomUniform([...x.shape.slice(0, out.length - 1)], 0, classes, 'int32', 5);
  const variables = model.trainableWeights.map((weight) => variableOf(weight));
  const before = variables.map((v) => v.clone());
  const optimizer = tf.train.sgd(1e-3);
  const lossTensor = optimizer.minimize(
    () =>
      tf.losses.softmaxCrossEntropy(
        tf.oneHot(labels, classes),
        model.apply(x, { training: true }) as tf.Tensor,
      ) as tf.Scalar,
    true,
    variables,
  );
  const loss = (await lossTensor!.data())[0];
  lossTensor!.dispose();
  const changed = variables.filter((v, i) =>
    tf.tidy(() => tf.any(tf.notEqual(v, before[i])).dataSync()[0] === 1),
  ).length;
  tf.dispose([...before, labels]);
  optimizer.dispose();
  return { loss, changed, total: before.length };
}

/** Saves `model` to memory (through JSON text), loads it back, and returns the loaded model. */
export async function saveAndLoad(model: tf.LayersModel): Promise<tf.LayersModel> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler((a) => {
      artifacts = a;
      return Promise.resolve({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } });
    }),
  );
  const topology = JSON.parse(JSON.stringify(artifacts!.modelTopology)) as object;
  return tf.loadLayersModel(tf.io.fromMemory({ ...artifacts!, modelTopology: topology }));
}

/**
 * Largest absolute difference between the two models' outputs on `x`
 * (inference mode unless `training`); NaN when either is not finite.
 */
export function predictionDiff(a: tf.LayersModel, b: tf.LayersModel, x: tf.Tensor, training = false): number {
  return tf.tidy(() => {
    const [pa, pb] = [a.apply(x, { training }) as tf.Tensor, b.apply(x, { training }) as tf.Tensor];
    const finite = tf.logicalAnd(tf.all(tf.isFinite(pa)), tf.all(tf.isFinite(pb))).dataSync()[0] === 1;
    return finite ? tf.max(tf.abs(tf.sub(pa, pb))).dataSync()[0] : NaN;
  });
}

/** Largest absolute difference between the two models' weights, in order. */
export function weightsDiff(a: tf.LayersModel, b: tf.LayersModel): number {
  const wa = a.getWeights();
  const wb = b.getWeights();
  if (wa.length !== wb.length) return Infinity;
  return Math.max(0, ...wa.map((w, i) => tf.tidy(() => tf.max(tf.abs(tf.sub(w, wb[i]))).dataSync()[0])));
}
