import type { TensorInfo } from '@tensorflow/tfjs';
import { ADAM_UPDATE, MOMENTUM_UPDATE } from 'tfjs-skip-train/recipes';
import { type OnednnKernelArgs, f32, nativeInputs, onednnKernel, output } from '../backend.js';
import { addon } from '../native.js';

function checkSameShape(kernel: string, inputs: Record<string, TensorInfo>): void {
  const [first] = Object.values(inputs);
  for (const [name, t] of Object.entries(inputs)) {
    if (!nativeInputs(t) || t.shape.join() !== first!.shape.join()) {
      throw new TypeError(
        `${kernel}: every input must be float32 of the variable's shape [${first!.shape}]; ` +
          `'${name}' is ${t.dtype} [${t.shape}].`,
      );
    }
  }
}

interface AdamAttrs {
  beta1: number;
  beta2: number;
  epsilon: number;
  learningRate: number;
  oneMinusAccBeta1: number;
  oneMinusAccBeta2: number;
}
type AdamArgs = OnednnKernelArgs<{ value: TensorInfo; m: TensorInfo; v: TensorInfo; gradient: TensorInfo }, AdamAttrs>;

/** [value', m', v'] of one Adam step, in one native pass. */
function adamUpdate({ backend, inputs, attrs }: AdamArgs): TensorInfo[] {
  checkSameShape(ADAM_UPDATE, inputs);
  const { value, m, v, gradient } = inputs;
  const outs = [value, m, v].map(() => output(backend, value.shape));
  const { beta1, beta2, epsilon, learningRate, oneMinusAccBeta1, oneMinusAccBeta2 } = attrs;
  addon().adamUpdate(
    outs[0]![1].length,
    beta1,
    beta2,
    epsilon,
    learningRate,
    oneMinusAccBeta1,
    oneMinusAccBeta2,
    f32(backend, value),
    f32(backend, m),
    f32(backend, v),
    f32(backend, gradient),
    outs[0]![1],
    outs[1]![1],
    outs[2]![1],
  );
  return outs.map(([t]) => t);
}

type MomentumArgs = OnednnKernelArgs<
  { value: TensorInfo; accumulation: TensorInfo; gradient: TensorInfo },
  { learningRate: number; momentum: number; useNesterov: boolean }
>;

/** [value', accumulation'] of one momentum step, in one native pass. */
function momentumUpdate({ backend, inputs, attrs }: MomentumArgs): TensorInfo[] {
  checkSameShape(MOMENTUM_UPDATE, inputs);
  const { value, accumulation, gradient } = inputs;
  const [newValue, valueOut] = output(backend, value.shape);
  const [newAccumulation, accumulationOut] = output(backend, value.shape);
  addon().momentumUpdate(
    valueOut.length,
    attrs.learningRate,
    attrs.momentum,
    attrs.useNesterov,
    f32(backend, value),
    f32(backend, accumulation),
    f32(backend, gradient),
    valueOut,
    accumulationOut,
  );
  return [newValue, newAccumulation];
}

export const adamUpdateConfig = onednnKernel(ADAM_UPDATE, adamUpdate);
export const momentumUpdateConfig = onednnKernel(MOMENTUM_UPDATE, momentumUpdate);
