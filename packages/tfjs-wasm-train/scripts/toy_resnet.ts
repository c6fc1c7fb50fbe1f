import * as tf from '@tensorflow/tfjs';

/**
 * The fixtures' toy ResNet for CIFAR-10 written with the functional API and
 * `tf.layers.add` (no SkipConnection layer): conv 32, conv 64, max-pool 3,
 * two residual blocks of two 'same' convs, conv 64, global average pool,
 * dense 256, dropout 0.5, dense 10 (logits). Weighted layers come back in the
 * fixture's weight order.
 */
export function toyResNet(inputShape: [number, number, number] = [32, 32, 3]): {
  model: tf.LayersModel;
  weighted: tf.layers.Layer[];
} {
  const weighted: tf.layers.Layer[] = [];
  const conv = (filters: number, padding: 'valid' | 'same' = 'valid') => {
    const layer = tf.layers.conv2d({ filters, kernelSize: 3, activation: 'relu', padding });
    weighted.push(layer);
    return layer;
  };
  const input = tf.input({ shape: inputShape });
  let x = conv(32).apply(input) as tf.SymbolicTensor;
  x = conv(64).apply(x) as tf.SymbolicTensor;
  x = tf.layers.maxPooling2d({ poolSize: 3 }).apply(x) as tf.SymbolicTensor;
  for (let block = 0; block < 2; block++) {
    const first = conv(64, 'same').apply(x) as tf.SymbolicTensor;
    const main = conv(64, 'same').apply(first) as tf.SymbolicTensor;
    x = tf.layers.add().apply([main, x]) as tf.SymbolicTensor;
  }
  x = conv(64).apply(x) as tf.SymbolicTensor;
  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  const dense1 = tf.layers.dense({ units: 256, activation: 'relu' });
  const dense2 = tf.layers.dense({ units: 10 });
  weighted.push(dense1, dense2);
  x = dense1.apply(x) as tf.SymbolicTensor;
  x = tf.layers.dropout({ rate: 0.5 }).apply(x) as tf.SymbolicTensor;
  const logits = dense2.apply(x) as tf.SymbolicTensor;
  return { model: tf.model({ inputs: input, outputs: logits }), weighted };
}
