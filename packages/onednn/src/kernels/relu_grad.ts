import type { TensorInfo } from '@tensorflow/tfjs';
import { type OnednnKernelArgs, f32, nativeInputs, onednnKernel, output } from '../backend.js';
import { addon } from '../native.js';

/**
 * The kernel of Relu's gradient on onednn (see ../gradients.ts): inputs
 * `{dy, x}`, output `dy * Step(x)` in one pass, where tfjs-core's gradient
 * runs Step, Cast and Multiply (three kernels, two passes over the activation).
 */
export const RELU_GRAD = 'TfjsSkipOnednnReluGrad';

type Args = OnednnKernelArgs<{ dy: TensorInfo; x: TensorInfo }>;

function reluGrad({ backend, inputs }: Args): TensorInfo {
  const { dy, x } = inputs;
  if (!nativeInputs(dy, x) || dy.shape.join() !== x.shape.join()) {
    throw new TypeError(
      `${RELU_GRAD}: dy and x must be float32 of one non-empty shape; received dy ${dy.dtype} [${dy.shape}], ` +
        `x ${x.dtype} [${x.shape}].`,
    );
  }
  const [dx, values] = output(backend, x.shape);
  addon().unaryGrad('relu', 0, 0, values.length, f32(backend, x), f32(backend, dy), values);
  return dx;
}

export const reluGradConfig = onednnKernel(RELU_GRAD, reluGrad);
