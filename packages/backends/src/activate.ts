import * as tf from '@tensorflow/tfjs';
import { variableOf } from 'tfjs-skip-internals';

/** A backend tfjs-skip knows how to bring up. */
export type BackendName = 'tensorflow' | 'onednn' | 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/** Every {@link BackendName}. */
export const BACKEND_NAMES: readonly BackendName[] = ['tensorflow', 'onednn', 'webgpu', 'webgl', 'wasm', 'cpu'];

/** What oneDNN runs on, once tfjs-skip-onednn has been brought up (for {@link describeBackend}). */
let onednnDetail: { version: string; isa: string } | null = null;

/** Records what the onednn backend runs on (setupBackend does, when it brings it up). */
export function noteOnednn(detail: { version: string; isa: string }): void {
  onednnDetail = detail;
}

/**
 * Makes `name` (already registered with TF.js) the current backend. Returns
 * null on success, else why it cannot be used: it failed to initialise, or
 * it cannot train conv nets (no `Conv2DBackpropFilter` kernel) when
 * `forTraining` is set. A backend that failed stays registered but unusable,
 * so callers fall back explicitly.
 */
export async function activate(name: string, forTraining = true): Promise<string | null> {
  try {
    if (!(await tf.setBackend(name)) || tf.getBackend() !== name) return `the ${name} backend failed to initialise`;
    await tf.ready();
  } catch (e) {
    return `the ${name} backend failed to initialise: ${(e as Error).message.split('\n')[0]}`;
  }
  if (forTraining && tf.getKernel('Conv2DBackpropFilter', name) == null) {
    return `the ${name} backend has no Conv2DBackpropFilter kernel, so it cannot train conv nets`;
  }
  return null;
}

/**
 * One gradient step of a tiny conv net with the layers the zoo uses (conv,
 * batch norm in training mode, max pooling, dense) on the current backend,
 * checked for finite values: null when it works, else why not.
 */
export function probeTrainingStep(): string | null {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [6, 6, 1],
        filters: 2,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        kernelInitializer: 'ones',
      }),
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
      const variables = model.trainableWeights.map((w) => variableOf(w));
      const loss = () => (model.apply(x, { training: true }) as tf.Tensor).square().mean<tf.Scalar>();
      const { grads } = tf.variableGrads(loss, variables);
      return tf.addN(Object.values(grads).map((g) => g.abs().sum())).dataSync()[0];
    });
    return Number.isFinite(sum) ? null : 'the gradient is not finite';
  } catch (e) {
    return (e as Error).message.split('\n')[0] ?? 'unknown error';
  } finally {
    model.dispose();
  }
}

/**
 * One line on a backend in use: wasm's SIMD and threads (as `setupBackend`
 * reported them: `threads`, and why fewer than asked for), onednn's version,
 * instruction set and threads, webgl's version, webgpu's adapter.
 */
export function describeBackend(
  name: string,
  adapter = '',
  threads: { threads: number; threadsNote: string | null } = { threads: 1, threadsNote: null },
): string {
  if (name === 'wasm') {
    const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
    const kernels =
      tf.getKernel('Conv2DBackpropFilter', 'wasm') != null ? ', training kernels from tfjs-wasm-train' : '';
    const count =
      threads.threads > 1
        ? `${threads.threads} threads`
        : `one thread${threads.threadsNote ? `: ${threads.threadsNote}` : ''}`;
    return `wasm (${simd ? 'SIMD' : 'no SIMD'}, ${count})${kernels}`;
  }
  if (name === 'webgpu') return `webgpu (adapter: ${adapter || 'unnamed'})`;
  if (name === 'webgl') {
    const precision = tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED') ? 'float32' : 'float16';
    return `webgl ${tf.env().getNumber('WEBGL_VERSION')}, ${precision}`;
  }
  if (name === 'tensorflow') return 'tensorflow (native TensorFlow through @tensorflow/tfjs-node)';
  if (name === 'onednn') {
    const on = onednnDetail === null ? '' : `oneDNN ${onednnDetail.version}, ${onednnDetail.isa}, `;
    const count = threads.threads === 1 ? 'one thread' : `${threads.threads} threads`;
    return `onednn (${on}${count}), from tfjs-skip-onednn`;
  }
  return 'cpu (pure JavaScript)';
}
