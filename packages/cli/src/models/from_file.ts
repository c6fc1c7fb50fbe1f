import * as tf from '@tensorflow/tfjs';
import { PROBABILITIES } from 'tfjs-skip-train';
import { CliError } from '../errors.js';
import { loadModelFile } from '../io/model_files.js';
import type { ModelShape } from './registry.js';
import { withSeededRandom } from './seeded.js';

/** A model file made ready to fine-tune: its logits under a Softmax {@link PROBABILITIES}, and what was done. */
export interface FileModel {
  readonly model: tf.LayersModel;
  /** One line for the log: kept the file's classifier, or replaced it (and why). */
  readonly note: string;
}

/**
 * `train --model FILE` (a Keras `.keras` / `.h5` file, e.g. a `keras.applications` model, or a TF.js
 * `model.json`), loaded by the safe loader, as a model `train` fine-tunes and saves. Images of another
 * size are resized to the model's (a `Resizing` layer) and gray ones repeated to its channels, the
 * note saying so. Its classifier (a last `Dense` with a softmax or no activation) is kept,
 * as logits, when it has the data's class count; otherwise, or for a model without one (`include_top=False`:
 * features, pooled by a GlobalAveragePooling2D when spatial), a new seeded `Dense` head with the data's
 * classes replaces it, and the note says so.
 */
export async function modelFromFile(
  path: string,
  shape: ModelShape,
  seed: number,
  maxParameters?: number,
): Promise<FileModel> {
  const loaded = await loadModelFile(path, { maxParameters });
  const input = loaded.inputs[0].shape.slice(1);
  if (loaded.inputs.length !== 1 || input.length !== 3 || input.some((d) => d === null))
    throw new CliError(
      `${path} takes ${loaded.inputs.length} inputs of shape [${input.map(String).join(', ')}]; train feeds one ` +
        `image batch of a known size`,
      'pass a model with one image input of fixed height, width and channels',
    );
  const [height, width, channels] = input as number[];
  const [dataHeight, dataWidth, dataChannels] = shape.inputShape;
  if (dataHeight > height || dataWidth > width)
    throw new CliError(
      `${path} takes ${height}x${width} images, smaller than the data's ${dataHeight}x${dataWidth}`,
      'pass --data with images no larger than the model input, or a model built for these images',
    );
  if (dataChannels !== channels && dataChannels !== 1)
    throw new CliError(
      `${path} takes ${channels}-channel images, but the data's have ${dataChannels}`,
      "pass --data with images of the model's channels",
    );
  let last = loaded.layers.at(-1) as tf.layers.Layer;
  // A softmax Activation after the logits (MobileNet's and MobileNetV3's heads): the logits are its input.
  const softmaxAfter = last.getClassName() === 'Activation' && last.getConfig()['activation'] === 'softmax';
  if (softmaxAfter) last = (last.inboundNodes[0]?.inboundLayers[0] ?? last) as tf.layers.Layer;
  const lastConfig = last.getConfig();
  const dense = last.getClassName() === 'Dense' && ['softmax', 'linear'].includes(lastConfig['activation'] as string);
  const units = dense
    ? Number(lastConfig['units'])
    : softmaxAfter
      ? Number((loaded.outputs[0].shape as number[]).at(-1))
      : undefined;
  const features = (dense ? last.input : softmaxAfter ? last.output : loaded.outputs[0]) as tf.SymbolicTensor;
  const core = tf.model({ inputs: loaded.inputs, outputs: features, name: loaded.name });
  return withSeededRandom(seed, () => {
    const notes: string[] = [];
    const images = tf.input({ shape: shape.inputShape, name: 'images' });
    let x: tf.SymbolicTensor = images;
    if (dataChannels !== channels) {
      x = tf.layers
        .concatenate({ name: 'gray_to_rgb' })
        .apply(new Array<tf.SymbolicTensor>(channels).fill(x)) as tf.SymbolicTensor;
      notes.push(`the gray channel repeated ${channels} times`);
    }
    if (dataHeight !== height || dataWidth !== width) {
      const [top, left] = [Math.floor((height - dataHeight) / 2), Math.floor((width - dataWidth) / 2)];
      const padding: [[number, number], [number, number]] = [
        [top, height - dataHeight - top],
        [left, width - dataWidth - left],
      ];
      x = tf.layers.zeroPadding2d({ padding, name: 'pad_to_model' }).apply(x) as tf.SymbolicTensor;
      notes.push(`images zero-padded from ${dataHeight}x${dataWidth} to ${height}x${width}`);
    }
    let pooled = core.apply(x) as tf.SymbolicTensor;
    let logits: tf.SymbolicTensor;
    if (softmaxAfter && units === shape.classes) {
      logits = pooled; // the file's own logits (its last layer before the softmax)
      notes.unshift(`its classifier (${units} classes, up to "${last.name}") kept`);
    } else if (dense && units === shape.classes) {
      // The file's classifier, without its softmax: a linear Dense with the same weights.
      const config = { ...lastConfig, activation: 'linear', name: `${last.name}_logits` };
      const dense = tf.layers.dense(config as unknown as Parameters<typeof tf.layers.dense>[0]);
      logits = dense.apply(pooled) as tf.SymbolicTensor;
      dense.setWeights(last.getWeights());
      notes.unshift(`its classifier "${last.name}" (${units} classes) kept`);
    } else {
      if (pooled.shape.length === 4)
        pooled = tf.layers.globalAveragePooling2d({ name: 'head_pool' }).apply(pooled) as tf.SymbolicTensor;
      if (pooled.shape.length !== 2)
        throw new CliError(
          `${path} outputs ${pooled.shape.length}D features, which a Dense head cannot take`,
          'pass a model ending in a classifier or in image features (include_top=False)',
        );
      logits = tf.layers.dense({ units: shape.classes, name: 'head' }).apply(pooled) as tf.SymbolicTensor;
      notes.unshift(
        `its head replaced by a new Dense of ${shape.classes} classes ` +
          (dense || softmaxAfter
            ? `(the file's classifier "${last.name}" has ${units})`
            : `(the file has no classifier: ${pooled.shape[1]} features)`),
      );
    }
    const probabilities = tf.layers.softmax({ name: PROBABILITIES }).apply(logits) as tf.SymbolicTensor;
    const model = tf.model({ inputs: images, outputs: probabilities, name: `${loaded.name}_finetune` });
    return { model, note: `fine-tuning ${path}: ${notes.join('; ')}` };
  });
}
