import type { TensorInfo } from '@tensorflow/tfjs';
import { ADAM_UPDATE, MOMENTUM_UPDATE, MOMENTUM_UPDATES } from 'tfjs-skip-train/recipes';
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

/** [value', accumulation'] of one momentum step of one variable, in one native pass. */
function momentumStep(
  backend: MomentumArgs['backend'],
  kernel: string,
  inputs: MomentumArgs['inputs'],
  attrs: MomentumArgs['attrs'],
): TensorInfo[] {
  checkSameShape(kernel, inputs);
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

/** [value', accumulation'] of one momentum step, in one native pass. */
function momentumUpdate({ backend, inputs, attrs }: MomentumArgs): TensorInfo[] {
  return momentumStep(backend, MOMENTUM_UPDATE, inputs, attrs);
}

type MomentumAllArgs = OnednnKernelArgs<Record<string, TensorInfo>, MomentumArgs['attrs'] & { count: number }>;

/** [value0', accumulation0', value1', ...]: every variable's momentum step in one kernel call, a native pass each. */
function momentumUpdates({ backend, inputs, attrs }: MomentumAllArgs): TensorInfo[] {
  const { count } = attrs;
  if (!Number.isInteger(count) || count < 1 || Object.keys(inputs).length !== 3 * count) {
    throw new TypeError(
      `${MOMENTUM_UPDATES}: expected value, accumulation and gradient inputs for each of count variables; ` +
        `received count ${count} and ${Object.keys(inputs).length} inputs.`,
    );
  }
  return Array.from({ length: count }, (_, i) => {
    const [value, accumulation, gradient] = ['value', 'accumulation', 'gradient'].map((n) => inputs[`${n}${i}`]);
    if (value === undefined || accumulation === undefined || gradient === undefined) {
      throw new TypeError(`${MOMENTUM_UPDATES}: variable ${i} lacks value${i}, accumulation${i} or gradient${i}.`);
    }
    return momentumStep(backend, `${MOMENTUM_UPDATES} (variable ${i})`, { value, accumulation, gradient }, attrs);
  }).flat();
}

export const adamUpdateConfig = onednnKernel(ADAM_UPDATE, adamUpdate);
export const momentumUpdateConfig = onednnKernel(MOMENTUM_UPDATE, momentumUpdate);
export const momentumUpdatesConfig = onednnKernel(MOMENTUM_UPDATES, momentumUpdates);
