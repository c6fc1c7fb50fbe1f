/**
 * The members of TensorFlow.js that tfjs-skip's packages read although TF.js
 * does not export them, or declares them private or protected: the one
 * module that casts into TF.js internals. Each function below checks, on
 * the object it is given, that the members it reads are there, and throws a
 * {@link TfjsInternalsError} naming them and the installed TF.js version
 * when they are not; its test in `index.test.ts` runs it on a live object,
 * so a TF.js release that renames one fails there first, with that message.
 * Every tfjs-skip package pins `@tensorflow/tfjs` to {@link TFJS_RANGE} for
 * this reason.
 *
 * @module tfjs-skip-internals
 */
import * as tf from '@tensorflow/tfjs';

/** The TF.js versions whose internals this module reads: the peer range of every tfjs-skip package. */
export const TFJS_RANGE = '~4.22';

/** A member this module reads is not there: the installed TF.js changed shape. */
export class TfjsInternalsError extends Error {
  /** The members missing, as `owner.member`. */
  readonly missing: readonly string[];

  constructor(missing: readonly string[]) {
    super(
      `tfjs-skip reads ${missing.join(', ')}, which @tensorflow/tfjs ${tf.version.tfjs} does not have. ` +
        `tfjs-skip works with TF.js ${TFJS_RANGE} (its peer range): install @tensorflow/tfjs@${TFJS_RANGE}, ` +
        'or adapt tfjs-skip-internals (packages/internals/src/index.ts) to this version.',
    );
    this.name = 'TfjsInternalsError';
    this.missing = missing;
  }
}

type Kind = 'function' | 'number' | 'boolean' | 'string' | 'object';

/** `value` as `T` once each of `members` has its kind (`object`: not null); else a TfjsInternalsError naming them. */
function checked<T>(value: unknown, owner: string, members: Readonly<Record<string, Kind>>): T {
  const record = value as Record<string, unknown> | null | undefined;
  const missing = Object.entries(members)
    .filter(([member, kind]) => record == null || typeof record[member] !== kind || record[member] === null)
    .map(([member]) => `${owner}.${member}`);
  if (missing.length > 0) throw new TfjsInternalsError(missing);
  return value as T;
}

// ---------------------------------------------------------------------------------------------------------------
// tfjs-core's engine: the tape of the running gradient computation (tfjs-skip-train's `variableGradsFreeing`).

/** One op recorded on the gradient tape (tfjs-core's `TapeNode`, not exported). */
export interface TapeNode {
  /** Its id, in tape order. */
  id: number;
  /** The kernel it ran. */
  kernelName: string;
  /** Its input tensors, by input name. */
  inputs: Record<string, tf.Tensor>;
  /** Its output tensors. */
  outputs: tf.Tensor[];
  /** Its gradient: the outputs' gradients to a function per input. */
  gradient?: (dys: Array<tf.Tensor | null>) => Record<string, () => tf.Tensor>;
  /** The tensors it saved for its gradient. */
  saved?: tf.Tensor[];
}

/** The engine's calls and state `Engine.gradients` uses to record a tape (private in tfjs-core's declaration). */
export interface EngineTape {
  /** The engine's state: the tape and how deep in gradient computations it is. */
  state: {
    /** The tape being recorded, or null when none is. */
    activeTape: TapeNode[] | null;
    /** How many gradient computations are running, one inside another (0 outside any). */
    gradientDepth: number;
  };
  /** Starts recording a tape. */
  startTape(): void;
  /** Stops recording it. */
  endTape(): void;
  /** Runs `f` between `start` and `end`, in a scope of its own. */
  scopedRun<T>(start: () => void, end: () => void, f: () => T): T;
  /** `tf.tidy` with a scope name. */
  tidy<T>(name: string, f: () => T): T;
}

/** The engine of the running TF.js, as a tape recorder. */
export function engineTape(): EngineTape {
  const engine = checked<EngineTape>(tf.engine(), 'tf.engine()', {
    startTape: 'function',
    endTape: 'function',
    scopedRun: 'function',
    tidy: 'function',
    state: 'object',
  });
  checked(engine.state, 'tf.engine().state', { gradientDepth: 'number' });
  return engine;
}

/** The gradient of a {@link lazyGradientOp}: from the output's gradient and the saved tensors, a function per input. */
export type LazyGradients = (dy: tf.Tensor, saved: tf.Tensor[]) => Record<string, () => tf.Tensor>;

/**
 * Runs `forward` (a composite of kernels, one output) as one op on the tape
 * whose gradient is one function per input, called only for the inputs the
 * gradient flows to, as a registered kernel's gradient is. `tf.customGrad`
 * computes every input's gradient whether or not it is needed (a first
 * convolution's gradient to the images, say). `save` keeps tensors for the
 * gradient, as customGrad's does. Runs tfjs-core's `Engine.runKernelFunc`,
 * which customGrad runs.
 */
export function lazyGradientOp(
  inputs: Record<string, tf.Tensor>,
  forward: (save: (tensors: tf.Tensor[]) => void) => tf.Tensor,
  gradients: LazyGradients,
): tf.Tensor {
  const engine = checked<{
    runKernelFunc(params: {
      forwardFunc: (backend: unknown, save: (tensors: tf.Tensor[]) => void) => tf.Tensor;
      backwardsFunc: LazyGradients;
      inputs: Record<string, tf.Tensor>;
    }): tf.Tensor;
  }>(tf.engine(), 'tf.engine()', { runKernelFunc: 'function' });
  return engine.runKernelFunc({ forwardFunc: (_, save) => forward(save), backwardsFunc: gradients, inputs });
}

/**
 * Runs `f` off the gradient tape, as tfjs-core runs a kernel's own ops: none
 * of its ops is recorded (no tape node, and none of the copies the engine
 * makes of a recorded op's inputs for its gradient), so no gradient flows
 * through what it computes. For side work done while a gradient is being
 * recorded (a batch norm layer's moving averages: six ops a layer, each
 * otherwise taped with its inputs saved). tfjs-core's `Engine.isTapeOn` is
 * `gradientDepth > 0 && kernelDepth === 0`; this raises `kernelDepth` for
 * the call, as `Engine.runKernelFunc` does.
 */
export function offTape<T>(f: () => T): T {
  const state = checked<{ kernelDepth: number }>(tf.engine().state, 'tf.engine().state', { kernelDepth: 'number' });
  state.kernelDepth++;
  try {
    return f();
  } finally {
    state.kernelDepth--;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// tfjs-layers' LayerVariable: the tf.Variable behind a layer's weight.

interface LayerVariableInternals {
  read(): tf.Variable;
  write(value: tf.Tensor): unknown;
}

/**
 * The `tf.Variable` behind a layer's weight: what `read()` returns, typed
 * `Tensor` in tfjs-layers' declaration (the variable itself, which
 * `tf.variableGrads` and the optimizers take).
 */
export function variableOf(weight: tf.LayerVariable): tf.Variable {
  const variable = checked<LayerVariableInternals>(weight, 'LayerVariable', { read: 'function' }).read();
  if (!(variable instanceof tf.Variable))
    throw new TfjsInternalsError(['LayerVariable.read() returning a tf.Variable']);
  return variable;
}

/** Assigns `value` to a layer's weight (tfjs-layers' `LayerVariable.write`, which checks its shape). */
export function writeWeight(weight: tf.LayerVariable, value: tf.Tensor): void {
  checked<LayerVariableInternals>(weight, 'LayerVariable', { write: 'function' }).write(value);
}

// ---------------------------------------------------------------------------------------------------------------
// tfjs-layers' BatchNormalization: its class, which tfjs-layers does not export, and its private fields.

/** The arguments of `tf.layers.batchNormalization`. */
export type BatchNormalizationArgs = NonNullable<Parameters<typeof tf.layers.batchNormalization>[0]>;

/** The fields of tfjs-layers' BatchNormalization read here (private in its declaration). */
export interface StockBatchNormalization extends tf.layers.Layer {
  /** The axis normalized (the channels): -1 for the last. */
  readonly axis: number;
  /** The weight of the old value in the moving averages' update. */
  readonly momentum: number;
  /** Added to the variance before its square root. */
  readonly epsilon: number;
  /** Whether the layer adds the learned offset `beta`. */
  readonly center: boolean;
  /** Whether the layer multiplies by the learned scale `gamma`. */
  readonly scale: boolean;
  /** The learned scale, one per channel (undefined without `scale`: tfjs-layers never assigns it). */
  readonly gamma: tf.LayerVariable | undefined;
  /** The learned offset, one per channel (undefined without `center`). */
  readonly beta: tf.LayerVariable | undefined;
  /** The moving mean of the channels, used at inference (once built). */
  readonly movingMean: tf.LayerVariable;
  /** The moving variance of the channels, used at inference (once built). */
  readonly movingVariance: tf.LayerVariable;
}

/** tfjs-layers' BatchNormalization class, as TF.js's serialization registry holds it. */
export interface StockBatchNormalizationClass {
  new (args?: BatchNormalizationArgs): StockBatchNormalization;
  /** Builds the layer from its config, as `tf.loadLayersModel` does. */
  fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T;
}

/**
 * tfjs-layers' BatchNormalization class, as it registered itself for
 * deserialization (read from the registry rather than off an instance:
 * making one would use up a generated layer name, and shift the names of
 * every later model). Read once, at import, by tfjs-skip's BatchNormalization.
 */
export function stockBatchNormalization(): StockBatchNormalizationClass {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap['BatchNormalization'];
  if (entry === undefined) throw new TfjsInternalsError(['the serialization registry entry BatchNormalization']);
  return checked<StockBatchNormalizationClass>(entry[0], 'BatchNormalization', { fromConfig: 'function' });
}

/** `layer`, a BatchNormalization layer, with the private fields {@link StockBatchNormalization} reads checked. */
export function batchNormFields(layer: tf.layers.Layer): StockBatchNormalization {
  return checked<StockBatchNormalization>(layer, 'BatchNormalization', {
    axis: 'number',
    momentum: 'number',
    epsilon: 'number',
    center: 'boolean',
    scale: 'boolean',
  });
}

/** The BatchNormalization layer `layer`'s moving-average momentum. */
export function batchNormMomentum(layer: tf.layers.Layer): number {
  return checked<{ momentum: number }>(layer, 'BatchNormalization', { momentum: 'number' }).momentum;
}

/** Sets the moving-average momentum of the BatchNormalization layer `layer` (readonly in tfjs-layers). */
export function setBatchNormMomentum(layer: tf.layers.Layer, momentum: number): void {
  checked<{ momentum: number }>(layer, 'BatchNormalization', { momentum: 'number' }).momentum = momentum;
}

// ---------------------------------------------------------------------------------------------------------------
// tfjs-layers' Conv2D: the configuration tfjs-skip's fused conv → batch norm runs read (protected there).

/** The fields of a built tfjs-layers Conv2D read here (protected in its declaration). */
export interface Conv2DFields extends tf.layers.Layer {
  /** 2 for Conv2D. */
  readonly rank: number;
  /** The filter, [height, width, in, out]. */
  readonly kernel: tf.LayerVariable;
  /** Whether the layer adds a bias. */
  readonly useBias: boolean;
  /** The activation applied after the convolution. */
  readonly activation: {
    /** Its registered name: `'linear'` for none. */
    getClassName(): string;
  };
  /** [height, width]. */
  readonly strides: number[];
  /** `'same'`, `'valid'` (or `'causal'`). */
  readonly padding: string;
  /** `'channelsLast'` or `'channelsFirst'`. */
  readonly dataFormat: string;
  /** [height, width] (a number before normalization). */
  readonly dilationRate: number | number[];
}

/** `layer`, a built Conv2D layer, with the protected fields {@link Conv2DFields} reads checked. */
export function conv2dFields(layer: tf.layers.Layer): Conv2DFields {
  return checked<Conv2DFields>(layer, 'Conv2D', {
    rank: 'number',
    kernel: 'object',
    useBias: 'boolean',
    activation: 'object',
    strides: 'object',
    padding: 'string',
    dataFormat: 'string',
  });
}

/** The bias of `layer`, a built Conv2D layer: its variable, or `null` when the layer has none (`useBias: false`). */
export function conv2dBias(layer: tf.layers.Layer): tf.LayerVariable | null {
  const { useBias } = conv2dFields(layer);
  const bias = (layer as unknown as { bias?: unknown }).bias;
  if (!useBias) return null;
  if (typeof bias !== 'object' || bias === null) throw new TfjsInternalsError(['Conv2D.bias']);
  return bias as tf.LayerVariable;
}

// ---------------------------------------------------------------------------------------------------------------
// tfjs-core's optimizers: their state (protected or private in tfjs-core's declarations).

/** A variable's slot in an optimizer's state (tfjs-core's `OptimizerVariable`). */
export interface OptimizerSlot {
  /** The name it is saved under. */
  originalName: string;
  /** Its value. */
  variable: tf.Variable;
}

/** AdamOptimizer's state. */
export interface AdamState {
  /** The step size. */
  learningRate: number;
  /** The first moment's decay. */
  beta1: number;
  /** The second moment's decay. */
  beta2: number;
  /** Added to the second moment's square root. */
  epsilon: number;
  /** `beta1` to the power of the steps taken. */
  accBeta1: tf.Variable;
  /** `beta2` to the power of the steps taken. */
  accBeta2: tf.Variable;
  /** The first moment of each variable, in the order of the gradients. */
  accumulatedFirstMoment: Array<OptimizerSlot | undefined>;
  /** The second moment of each variable, in the order of the gradients. */
  accumulatedSecondMoment: Array<OptimizerSlot | undefined>;
}

/** The state of an AdamOptimizer (or a subclass: tfjs-skip-train's `Adam`). */
export function adamState(optimizer: tf.AdamOptimizer): AdamState {
  return checked<AdamState>(optimizer, 'AdamOptimizer', {
    learningRate: 'number',
    beta1: 'number',
    beta2: 'number',
    epsilon: 'number',
    accBeta1: 'object',
    accBeta2: 'object',
    accumulatedFirstMoment: 'object',
    accumulatedSecondMoment: 'object',
  });
}

/**
 * Adam's running products `beta1^t` and `beta2^t` (`accBeta1`, `accBeta2`),
 * or null for an optimizer without both (SGD, Momentum; Adamax has only the
 * first). Found by the fields, not by
 * `instanceof AdamOptimizer`: tfjs-core's optimizers answer `instanceof`
 * by their fields' presence, and a MomentumOptimizer passes that test.
 */
export function adamBetaPowers(optimizer: tf.Optimizer): [tf.Variable, tf.Variable] | null {
  const { accBeta1, accBeta2 } = optimizer as unknown as { accBeta1?: unknown; accBeta2?: unknown };
  return accBeta1 instanceof tf.Variable && accBeta2 instanceof tf.Variable ? [accBeta1, accBeta2] : null;
}

/** MomentumOptimizer's state. */
export interface MomentumState {
  /** The step size. */
  learningRate: number;
  /** The momentum. */
  momentum: number;
  /** Whether the update is Nesterov's. */
  useNesterov: boolean;
  /** The accumulated velocity of each variable, in the order of the gradients. */
  accumulations: Array<OptimizerSlot | undefined>;
}

/** The state of a MomentumOptimizer (or a subclass: tfjs-skip-train's `Momentum`). */
export function momentumState(optimizer: tf.MomentumOptimizer): MomentumState {
  return checked<MomentumState>(optimizer, 'MomentumOptimizer', {
    learningRate: 'number',
    momentum: 'number',
    useNesterov: 'boolean',
    accumulations: 'object',
  });
}

/**
 * Sets the rate the next `applyGradients` of `optimizer` uses: through
 * `setLearningRate` where the optimizer has it (SGD and Momentum, which keep
 * the rate as a scalar tensor), else its `learningRate` field (Adam's number).
 */
export function setLearningRate(optimizer: tf.Optimizer, rate: number): void {
  const withSetter = optimizer as unknown as { setLearningRate?: (rate: number) => void };
  if (typeof withSetter.setLearningRate === 'function') {
    withSetter.setLearningRate(rate);
    return;
  }
  checked<{ learningRate: number }>(optimizer, optimizer.getClassName(), { learningRate: 'number' }).learningRate =
    rate;
}

// ---------------------------------------------------------------------------------------------------------------
// tfjs-layers' symbolic tensors.

/**
 * A symbolic tensor made by no layer (tfjs-layers declares its source layer
 * non-null, and accepts null): layers applied to it record their input and
 * output shapes without being linked into any model's graph.
 */
export function unattachedSymbolicInput(dtype: tf.DataType, shape: tf.Shape): tf.SymbolicTensor {
  return new tf.SymbolicTensor(dtype, shape, null as unknown as tf.layers.Layer, [], {});
}
