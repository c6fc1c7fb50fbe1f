import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { type OnednnKernelArgs, cpuKernel, f32, nativeInputs, onednnKernel, output } from '../backend.js';
import { addon } from '../native.js';

const BINARY = [
  { kernel: tf.Add, op: 'add', commutes: true },
  { kernel: tf.Sub, op: 'sub', commutes: false },
  { kernel: tf.Multiply, op: 'mul', commutes: true },
  { kernel: tf.RealDiv, op: 'div', commutes: false },
] as const;

/** `shape` with leading 1s up to `rank`. */
const padded = (shape: readonly number[], rank: number): number[] => [
  ...new Array<number>(rank - shape.length).fill(1),
  ...shape,
];

function binaryKernel({ kernel, op, commutes }: (typeof BINARY)[number]) {
  return (args: OnednnKernelArgs<{ a: TensorInfo; b: TensorInfo }>): TensorInfo => {
    const { backend, inputs } = args;
    let { a, b } = inputs;
    const fallback = () => cpuKernel(kernel)(args as never) as TensorInfo;
    if (!nativeInputs(a, b)) return fallback();
    const shape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    if (shape.length === 0) return fallback();
    // oneDNN broadcasts its second operand only: the first must have the result's shape.
    if (!tf.util.arraysEqual(padded(a.shape, shape.length), shape)) {
      if (!commutes || !tf.util.arraysEqual(padded(b.shape, shape.length), shape)) return fallback();
      [a, b] = [b, a];
    }
    const [y, values] = output(backend, shape);
    addon().binary(op, shape, padded(b.shape, shape.length), f32(backend, a), f32(backend, b), values);
    return y;
  };
}

/** Add, Sub, Multiply and RealDiv with broadcasting, on oneDNN's binary primitive. */
export const binaryConfigs = BINARY.map((b) => onednnKernel(b.kernel, binaryKernel(b)));
