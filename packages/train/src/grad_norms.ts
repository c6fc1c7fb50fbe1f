import * as tf from '@tensorflow/tfjs';
import { trainableVariables } from './step.js';

/** The gradient norm of one weighted layer's kernel. */
export interface LayerGradNorm {
  /** 1 for the first weighted layer, counting conv and dense kernels in model order. */
  readonly layer: number;
  /** The kernel's weight name, e.g. `conv2d_Conv2D3/kernel`. */
  readonly name: string;
  /** L2 norm of the kernel's gradient. */
  readonly norm: number;
}

/**
 * L2 norms of the gradients of every conv and dense kernel of `model`, in
 * the order the layers apply (a SkipConnection's main path, then its
 * projection if it has one): the picture of how the gradient fades, or does
 * not, from the output back to the input.
 */
export function kernelGradNorms(model: tf.LayersModel, grads: tf.NamedTensorMap): LayerGradNorm[] {
  const kernels = trainableVariables(model).filter((v) => /(^|\/)kernel(_\d+)?$/.test(v.name));
  return kernels.map((v, i) => {
    const gradient = grads[v.name];
    const norm = gradient ? tf.tidy(() => tf.norm(gradient).dataSync()[0]) : 0;
    return { layer: i + 1, name: v.name.replace(/^.*?\/(?=[^/]+\/kernel)/, ''), norm };
  });
}
