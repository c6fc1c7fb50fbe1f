import * as tf from '@tensorflow/tfjs';

/**
 * Keras 3's `hard_silu` (alias `hard_swish`, MobileNetV3's activation), which TF.js lacks
 * (registered as `hardSilu`, TF.js's camelCase spelling of `hard_silu`):
 * `x * relu6(x + 3) / 6` (0 below -3, x above 3). Registered as a TF.js activation, so
 * `tf.layers.activation({activation: 'hardSilu'})` (`'hard_silu'` in a saved model.json) works
 * once tfjs-skip is imported.
 */
export class HardSilu extends tf.serialization.Serializable {
  /** The name TF.js's serialization registry knows this class by (`className` in a saved model's JSON). */
  static className = 'hardSilu';

  /** `x * relu6(x + 3) / 6`, elementwise. */
  apply(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.mul(x, tf.div(tf.relu6(tf.add(x, 3)), 6)));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {};
  }
}
tf.serialization.registerClass(HardSilu);

/** The activations tfjs-skip adds to TF.js's (names as a layer's `activation`). */
export const EXTRA_ACTIVATIONS = ['hardSilu'] as const;
