import * as tf from '@tensorflow/tfjs';

type Layer = tf.layers.Layer;

/** What {@link checkLayerContract} needs to know about a layer. */
export interface LayerContract {
  /** Makes a fresh, unbuilt instance of the layer under test (called several times). */
  makeLayer: () => Layer;
  /** Input shape without the batch axis, e.g. `[8, 8, 4]`. */
  inputShape: number[];
  /** Batch size of the eager checks (default 3). */
  batchSize?: number;
  /** Exact `countParams()` of the built layer, when known. */
  params?: number;
  /** Exact number of trainable weight tensors, when known. */
  trainableWeights?: number;
  /** Exact number of non-trainable weight tensors (BatchNorm statistics), when known. */
  nonTrainableWeights?: number;
  /** The layer behaves differently in training (Dropout, BatchNorm, drop-path). */
  trainingDiffers?: boolean;
  /** Skip the finite-difference check (e.g. a max/min merge at ties). */
  skipGradientCheck?: boolean;
}

/** A broken promise of the layer contract, naming the check and the numbers. */
export class ContractViolation extends Error {
  /** The class's name, for stack traces and logs. */
  override name = 'ContractViolation';
}

function fail(layerName: string, check: string, detail: string): never {
  throw new ContractViolation(`layer "${layerName}" breaks the ${check} contract: ${detail}`);
}

function wrap(layer: Layer, inputShape: number[]): tf.LayersModel {
  const input = tf.input({ shape: inputShape });
  return tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor });
}

/**
 * Largest absolute difference of two tensors. Every read of the contract is
 * asynchronous: `dataSync` on the webgpu backend goes through an
 * OffscreenCanvas, and in headless Chromium on SwiftShader (Chromium 156,
 * tfjs-backend-webgpu 4.22) the contract's synchronous reads left the device
 * unusable ("A valid external Instance reference no longer exists").
 */
async function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  return scalarOf(tf.tidy(() => tf.max(tf.abs(tf.sub(a, b)))));
}

/** The value of a scalar tensor, which is disposed. */
async function scalarOf(t: tf.Tensor): Promise<number> {
  try {
    return (await t.data())[0];
  } finally {
    t.dispose();
  }
}

/**
 * Runs the checks every tfjs-skip layer must pass (after Keras's
 * `run_layer_test`): symbolic and eager output shapes agree, weights have the
 * expected counts, unique names and TF.js order, the config round-trips
 * exactly, save/load (functional and Sequential) predicts identically,
 * `training` changes what it should and nothing else, predict and fit leak
 * no tensors, and input gradients match finite differences.
 * Throws a {@link ContractViolation} on the first failure.
 */
export async function checkLayerContract(contract: LayerContract): Promise<void> {
  const { inputShape } = contract;
  const batch = contract.batchSize ?? 3;
  const layer = contract.makeLayer();
  const name = layer.name;
  const model = wrap(layer, inputShape);
  const x = tf.randomNormal([batch, ...inputShape], 0, 1, 'float32', 7);
  try {
    // Shapes: what the model promised at construction is what it computes.
    const symbolic = model.outputs[0].shape;
    const eager = tf.tidy(() => (model.predict(x) as tf.Tensor).shape);
    if (symbolic.length !== eager.length || symbolic.some((d, i) => d != null && d !== eager[i])) {
      fail(
        name,
        'shape',
        `symbolic output shape ${JSON.stringify(symbolic)} but eager output shape ${JSON.stringify(eager)}`,
      );
    }
    const direct = tf.tidy(() => (layer.apply(x) as tf.Tensor).shape);
    if (JSON.stringify(direct) !== JSON.stringify(eager)) {
      fail(name, 'shape', `layer.apply gives ${JSON.stringify(direct)} but the model gives ${JSON.stringify(eager)}`);
    }

    await checkWeights(layer, contract);
    checkConfigRoundTrip(layer);
    await checkSaveLoad(model, x, name, 'functional');
    await checkSaveLoad(sequentialOf(contract), x, name, 'Sequential');
    await checkTraining(model, x, name, contract.trainingDiffers ?? false);
    checkNoLeaks(model, x, name);
    if (!contract.skipGradientCheck) await checkGradient(model, x, name);
  } finally {
    x.dispose();
  }
}

function sequentialOf(contract: LayerContract): tf.Sequential {
  return tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: contract.inputShape }), contract.makeLayer()] });
}

async function checkWeights(layer: Layer, contract: LayerContract): Promise<void> {
  const name = layer.name;
  const counts = [
    ['trainable', layer.trainableWeights.length, contract.trainableWeights],
    ['non-trainable', layer.nonTrainableWeights.length, contract.nonTrainableWeights],
    ['parameter', layer.countParams(), contract.params],
  ] as const;
  for (const [what, actual, expected] of counts) {
    if (expected != null && actual !== expected)
      fail(name, 'weights', `expected ${expected} ${what} weights/params, found ${actual}`);
  }
  const ordered = [...layer.trainableWeights, ...layer.nonTrainableWeights];
  if (ordered.length !== layer.weights.length || ordered.some((w, i) => w !== layer.weights[i])) {
    fail(name, 'weights', '`weights` is not trainableWeights followed by nonTrainableWeights');
  }
  const names = layer.weights.map((w) => w.originalName);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup != null) fail(name, 'weights', `two weights share the name "${dup}"`);
  // setWeights(getWeights()) is the identity, in the same order.
  // (getWeights returns the variables themselves: copy, never dispose them.)
  const before = layer.getWeights().map((w) => w.clone());
  layer.setWeights(before);
  try {
    for (const [i, w] of layer.getWeights().entries()) {
      if ((await maxAbsDiff(w, before[i])) !== 0) fail(name, 'weights', `setWeights(getWeights()) changed weight ${i}`);
    }
  } finally {
    tf.dispose(before);
  }
}

function checkConfigRoundTrip(layer: Layer): void {
  const cls = layer.constructor as tf.serialization.SerializableConstructor<Layer> & {
    fromConfig: tf.serialization.FromConfigMethod<Layer>;
  };
  const config = JSON.parse(JSON.stringify(layer.getConfig())) as tf.serialization.ConfigDict;
  const clone = cls.fromConfig(cls, config);
  const again = JSON.stringify(clone.getConfig());
  if (again !== JSON.stringify(layer.getConfig())) {
    fail(
      layer.name,
      'config',
      `fromConfig(getConfig()) gives a different config:\n  ${JSON.stringify(layer.getConfig())}\n  ${again}`,
    );
  }
}

async function checkSaveLoad(model: tf.LayersModel, x: tf.Tensor, name: string, kind: string): Promise<void> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler((a) => {
      artifacts = a;
      return Promise.resolve({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } });
    }),
  );
  const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
  try {
    const names = (m: tf.LayersModel) => m.weights.map((w) => w.originalName).join(',');
    if (names(loaded) !== names(model)) {
      fail(name, 'save/load', `${kind} weight names changed:\n  ${names(model)}\n  ${names(loaded)}`);
    }
    const [a, b] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
    const diff = await maxAbsDiff(a, b);
    tf.dispose([a, b]);
    if (diff !== 0) fail(name, 'save/load', `${kind} model predicts differently after loading (max |diff| ${diff})`);
  } finally {
    loaded.dispose();
  }
}

async function checkTraining(model: tf.LayersModel, x: tf.Tensor, name: string, differs: boolean): Promise<void> {
  const a = model.predict(x) as tf.Tensor;
  const b = model.predict(x) as tf.Tensor;
  const t = tf.tidy(() => model.apply(x, { training: true }) as tf.Tensor);
  try {
    if ((await maxAbsDiff(a, b)) !== 0) fail(name, 'inference', 'two predict() calls on the same input differ');
    const d = await maxAbsDiff(a, t);
    if (differs && d === 0)
      fail(name, 'training', 'training: true gives the inference output; `training` does not reach the layers inside');
    if (!differs && d > 1e-6)
      fail(name, 'training', `training: true changes the output by ${d} although nothing in the layer depends on it`);
  } finally {
    tf.dispose([a, b, t]);
  }
}

function checkNoLeaks(model: tf.LayersModel, x: tf.Tensor, name: string): void {
  const y = tf.tidy(() => tf.randomNormal((model.predict(x) as tf.Tensor).shape, 0, 1, 'float32', 3));
  const predicted = model.predict(x) as tf.Tensor;
  predicted.dispose();
  const before = tf.memory().numTensors;
  tf.dispose(model.predict(x));
  if (tf.memory().numTensors !== before)
    fail(name, 'memory', `predict() leaked ${tf.memory().numTensors - before} tensors`);
  // One step creates the optimizer's slots; the next steps must add nothing.
  const optimizer = tf.train.adam(1e-3);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const loss = () =>
    tf.losses.meanSquaredError<tf.Tensor, tf.Scalar>(y, model.apply(x, { training: true }) as tf.Tensor);
  const step = () => (vars.length > 0 ? optimizer.minimize(loss, false, vars) : tf.dispose(tf.tidy(loss)));
  step();
  const afterFirst = tf.memory().numTensors;
  step();
  step();
  if (tf.memory().numTensors !== afterFirst)
    fail(name, 'memory', `training steps leaked ${tf.memory().numTensors - afterFirst} tensors`);
  optimizer.dispose();
  y.dispose();
}

/** Finite-difference steps of the gradient check, largest first. */
const STEPS = [1e-2, 2.5e-3];

/** Agreement of two derivatives: 2% of the larger, or 0.02 below 1. */
const close = (a: number, b: number) => Math.abs(a - b) <= 2e-2 * Math.max(1, Math.abs(a), Math.abs(b));

/** What one coordinate's finite differences say of its autodiff derivative. */
export type ProbeVerdict = { kind: 'agrees' } | { kind: 'kink' } | { kind: 'disagrees'; numeric: number; step: number };

/**
 * Judges one coordinate's autodiff derivative `analytic` by central
 * differences of `at(delta)` (the function moved by `delta` along that
 * coordinate; `at(0)` is `f0`) at each of {@link STEPS}. Where the one-sided
 * differences disagree the step crossed a kink (ReLU, max). Two kinks, one
 * either side, can make them agree on a slope that is not the derivative;
 * a smaller step crosses neither. So a probe agrees if any step agrees;
 * otherwise the smallest step decides: smooth, it disagrees; across a kink,
 * it says nothing. (A wrong derivative that two kinks happen to match at the
 * larger step passes that probe: a coincidence the other probes do not share.)
 */
export async function judgeProbe(
  analytic: number,
  f0: number,
  at: (delta: number) => Promise<number>,
): Promise<ProbeVerdict> {
  let last: ProbeVerdict = { kind: 'kink' };
  for (const step of STEPS) {
    const forward = ((await at(step)) - f0) / step;
    const backward = (f0 - (await at(-step))) / step;
    const numeric = (forward + backward) / 2;
    if (!close(forward, backward)) last = { kind: 'kink' };
    else if (close(analytic, numeric)) return { kind: 'agrees' };
    else last = { kind: 'disagrees', numeric, step };
  }
  return last;
}

/**
 * Input gradient of `sum(r * model(x))` against central differences
 * ({@link judgeProbe}) at twelve coordinates; at least half must be away
 * from kinks.
 */
async function checkGradient(model: tf.LayersModel, x: tf.Tensor, name: string): Promise<void> {
  const r = tf.tidy(() => tf.randomNormal((model.predict(x) as tf.Tensor).shape, 0, 1, 'float32', 11));
  try {
    const gradient = tf.tidy(() =>
      tf.grad((input: tf.Tensor) => tf.sum(tf.mul(r, model.apply(input, { training: false }) as tf.Tensor)))(x),
    );
    const analytic = await gradient.data();
    gradient.dispose();
    // The same sum in float64: the outputs a probe leaves alone cancel exactly,
    // so the differences carry only the rounding of the outputs it moves.
    const weights = await r.data();
    const f = async (input: tf.Tensor) => {
      const y = tf.tidy(() => model.apply(input, { training: false }) as tf.Tensor);
      const outputs = await y.data();
      y.dispose();
      let sum = 0;
      for (let j = 0; j < outputs.length; j++) sum += weights[j] * outputs[j];
      return sum;
    };
    const values = (await x.data()).slice();
    const f0 = await f(x);
    const probes = Math.min(values.length, 12);
    let smooth = 0;
    for (let k = 0; k < probes; k++) {
      const i = Math.floor((k * values.length) / probes);
      const at = (delta: number) => {
        const v = values.slice();
        v[i] = v[i] + delta;
        const moved = tf.tensor(v, x.shape);
        return f(moved).finally(() => moved.dispose());
      };
      const verdict = await judgeProbe(analytic[i], f0, at);
      if (verdict.kind === 'kink') continue;
      smooth++;
      if (verdict.kind === 'disagrees')
        fail(
          name,
          'gradient',
          `d/dx[${i}] is ${analytic[i]} by autodiff but ${verdict.numeric} by central differences with step ` +
            `${verdict.step} (no step of ${STEPS.join(', ')} agreed)`,
        );
    }
    if (smooth < probes / 2)
      fail(name, 'gradient', `only ${smooth} of ${probes} probes were away from kinks; use a smoother test input`);
  } finally {
    r.dispose();
  }
}
