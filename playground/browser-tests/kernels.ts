import * as tf from '@tensorflow/tfjs';
import { buildZooModel, ZOO_MODELS } from 'tfjs-skip/zoo';

/** Every model of the zoo's registry, in its small configuration: one training step on cpu in a page. */
export const ZOO_KERNEL_CASES: Array<[string, () => tf.Sequential]> = ZOO_MODELS.map((m) => [
  m.id,
  () => buildZooModel(m, m.small),
]);

/**
 * The kernels one training step of `make()`'s model runs (forward, loss,
 * gradients, Adam), recorded by `tf.profile` on the cpu backend, which has
 * every kernel: what another backend must register to train the model.
 * Names ending in `__op` are custom-gradient ops, not kernels, and are left out.
 */
export async function kernelsUsed(make: () => tf.Sequential): Promise<string[]> {
  const previous = tf.getBackend();
  await tf.setBackend('cpu');
  try {
    const model = make();
    model.compile({ optimizer: tf.train.adam(0.01), loss: tf.losses.softmaxCrossEntropy });
    const [x, y] = [
      tf.randomNormal([2, ...model.inputs[0].shape.slice(1)] as number[]),
      tf.randomNormal([2, ...model.outputs[0].shape.slice(1)] as number[]),
    ];
    const info = await tf.profile(async () => void (await model.fit(x, y, { epochs: 1, batchSize: 2, verbose: 0 })));
    tf.dispose([x, y]);
    model.dispose();
    return [...new Set(info.kernelNames)].filter((name) => !name.endsWith('__op')).sort();
  } finally {
    await tf.setBackend(previous);
  }
}

/** The names in `kernels` that `backend` has no kernel for. */
export function kernelsMissingOn(backend: string, kernels: readonly string[]): string[] {
  return kernels.filter((name) => tf.getKernel(name, backend) == null);
}
