import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { type OnednnKernelArgs, cpuKernel, f32, nativeInputs, onednnKernel, output } from '../backend.js';
import { addon } from '../native.js';

/** An element-wise kernel and the addon's op for it, with its alpha and beta from the kernel's attributes. */
interface UnaryOp {
  kernel: string;
  op: string;
  params?: (attrs: { alpha?: number }) => [number, number];
}

/** The activations (and their kin) computed natively: one table, one kernel function. */
const UNARY: readonly UnaryOp[] = [
  { kernel: tf.Relu, op: 'relu' },
  { kernel: tf.LeakyRelu, op: 'leakyrelu', params: (a) => [a.alpha ?? 0.2, 0] },
  { kernel: tf.Relu6, op: 'clip', params: () => [0, 6] },
  { kernel: tf.Elu, op: 'elu', params: () => [1, 0] },
  { kernel: tf.Sigmoid, op: 'logistic' },
  { kernel: tf.Tanh, op: 'tanh' },
  { kernel: tf.Exp, op: 'exp' },
  { kernel: tf.Log, op: 'log' },
  { kernel: tf.Sqrt, op: 'sqrt' },
  { kernel: tf.Square, op: 'square' },
  { kernel: tf.Abs, op: 'abs' },
  { kernel: tf.Step, op: 'step', params: (a) => [a.alpha ?? 0, 0] },
];

function unaryKernel({ kernel, op, params }: UnaryOp) {
  return (args: OnednnKernelArgs<{ x: TensorInfo }, { alpha?: number }>): TensorInfo => {
    const { backend, inputs, attrs } = args;
    const { x } = inputs;
    if (!nativeInputs(x) || x.shape.length === 0) return cpuKernel(kernel)(args as never) as TensorInfo;
    const [alpha, beta] = params?.(attrs ?? {}) ?? [0, 0];
    const [y, values] = output(backend, x.shape);
    addon().unary(op, alpha, beta, values.length, f32(backend, x), values);
    return y;
  };
}

/** The element-wise kernels computed natively. */
export const unaryConfigs = UNARY.map((u) => onednnKernel(u.kernel, unaryKernel(u)));
