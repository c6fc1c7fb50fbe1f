import * as tf from '@tensorflow/tfjs';
import { buildZooModel, parseZooName } from 'tfjs-skip/zoo';

/**
 * The networks the bench times, by their zoo names (the registry's ids, as
 * `tfjs-skip train --model` takes them); `python/torch_bench.py` builds the
 * same ones in PyTorch.
 */
export const MODEL_NAMES = ['toy-resnet', 'resnet-20'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

/** The zoo's model: toy ResNet (two SkipConnections in a Sequential) or ResNet-20 (option A shortcuts). */
export function benchModel(name: ModelName): tf.LayersModel {
  const { model, args } = parseZooName(name)!;
  return buildZooModel(model, args);
}

/**
 * The toy ResNet written with the functional API and `tf.layers.add`, as in
 * the Keras functional-API guide: the reference `SkipConnection` is measured
 * against. Its weights come in the same order as the zoo's `toyResNet()`, so
 * `setWeights(zooModel.getWeights())` makes the two compute the same function.
 */
export function toyResNetFunctional(): tf.LayersModel {
  const conv = (filters: number, padding: 'valid' | 'same' = 'valid') =>
    tf.layers.conv2d({ filters, kernelSize: 3, activation: 'relu', padding });
  const input = tf.input({ shape: [32, 32, 3] });
  let x = conv(32).apply(input) as tf.SymbolicTensor;
  x = conv(64).apply(x) as tf.SymbolicTensor;
  x = tf.layers.maxPooling2d({ poolSize: 3 }).apply(x) as tf.SymbolicTensor;
  for (let block = 0; block < 2; block++) {
    const main = conv(64, 'same').apply(conv(64, 'same').apply(x)) as tf.SymbolicTensor;
    x = tf.layers.add().apply([main, x]) as tf.SymbolicTensor;
  }
  x = conv(64).apply(x) as tf.SymbolicTensor;
  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dense({ units: 256, activation: 'relu' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dropout({ rate: 0.5 }).apply(x) as tf.SymbolicTensor;
  const logits = tf.layers.dense({ units: 10 }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits, name: 'toy_resnet_functional' });
}
