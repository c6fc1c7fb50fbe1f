import * as tf from '@tensorflow/tfjs';
import { setupBackend } from 'tfjs-skip';
import { CliError } from './errors.js';
import { trainableVariables } from './train/step.js';

/** Backends `--backend` accepts. */
export const BACKENDS = ['cpu', 'wasm', 'tensorflow'] as const;
export type CliBackend = (typeof BACKENDS)[number];

/** The backend a command runs on, and one line saying which and why. */
export interface ChosenBackend {
  readonly name: string;
  readonly note: string;
}

/**
 * Sets the TF.js backend through tfjs-skip's `setupBackend`. Asked for by
 * name, it is that backend or a one-line error. By default it is `wasm` with
 * tfjs-wasm-train's kernels when they import and a probe training step runs,
 * else `cpu`. `tensorflow` needs `@tensorflow/tfjs-node`, never required.
 */
export async function chooseBackend(requested?: string): Promise<ChosenBackend> {
  if (requested !== undefined && !(BACKENDS as readonly string[]).includes(requested)) {
    throw new CliError(`unknown backend ${JSON.stringify(requested)}`, `pass --backend ${BACKENDS.join(', --backend ')}`);
  }
  const prefer = requested === undefined ? (['wasm', 'cpu'] as const) : [requested as CliBackend];
  let choice;
  try {
    choice = await setupBackend({ prefer });
  } catch {
    const why = requested === 'tensorflow' ? 'needs @tensorflow/tfjs-node, which is not installed' : 'cannot train here';
    throw new CliError(`--backend ${requested} ${why}`, requested === 'cpu' ? 'check the @tensorflow/tfjs install' : 'pass --backend cpu');
  }
  if (choice.name === 'wasm') {
    const failure = probeTrainingStep();
    if (failure !== null) {
      if (requested === 'wasm') throw new CliError(`the wasm backend failed a probe training step (${failure})`, 'pass --backend cpu');
      await setupBackend({ prefer: ['cpu'] });
      return { name: 'cpu', note: `backend: cpu (wasm failed a probe training step: ${failure})` };
    }
    return { name: 'wasm', note: `backend: wasm with tfjs-wasm-train training kernels${requested ? '' : ' (--backend cpu|wasm|tensorflow to choose)'}` };
  }
  const skipped = choice.skipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
  return { name: choice.name, note: `backend: ${choice.name}${skipped ? ` (${skipped})` : ''}` };
}

/**
 * One gradient step of a tiny conv net with the layers the zoo uses (conv,
 * batch norm in training mode, max pooling, dense), checked for finite
 * values; null when it works, else why not.
 */
function probeTrainingStep(): string | null {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [6, 6, 1], filters: 2, kernelSize: 3, strides: 2, padding: 'same', kernelInitializer: 'ones' }),
      tf.layers.batchNormalization(),
      tf.layers.reLU(),
      tf.layers.maxPooling2d({ poolSize: 2, strides: 1 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 2, kernelInitializer: 'ones' }),
    ],
  });
  try {
    const sum = tf.tidy(() => {
      const x = tf.linspace(0, 1, 72).reshape([2, 6, 6, 1]);
      const { grads } = tf.variableGrads(() => (model.apply(x, { training: true }) as tf.Tensor).square().mean() as tf.Scalar, trainableVariables(model));
      return tf.addN(Object.values(grads).map((g) => g.abs().sum())).dataSync()[0] as number;
    });
    return Number.isFinite(sum) ? null : 'the gradient is not finite';
  } catch (e) {
    return (e as Error).message.split('\n')[0] ?? 'unknown error';
  } finally {
    model.dispose();
  }
}
