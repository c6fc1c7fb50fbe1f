import * as tf from '@tensorflow/tfjs';
import { assertFloat32, readFlat, weightShape, writeFlat } from './flat_weights.js';
import { lossFunction } from './losses.js';
import type { GradsReply, InitRequest, ReadyReply, StepRequest } from './protocol.js';

/** Modules that make a backend available, by backend name. Other backends come from `imports`. */
const BACKEND_MODULES: Record<string, string[]> = {
  cpu: [],
  // The package's own entry point: tfjs-backend-wasm plus the training kernels.
  wasm: [new URL(import.meta.url.endsWith('.ts') ? '../index.ts' : '../index.js', import.meta.url).href],
  tensorflow: ['@tensorflow/tfjs-node'],
};

/**
 * One model replica inside a worker: it holds the model rebuilt from JSON,
 * takes the weights it is sent, and returns the gradient of the loss on its
 * shard. It never updates its trainable weights itself; the trainer does.
 */
export class Replica {
  private constructor(
    private readonly model: tf.LayersModel,
    private readonly loss: ReturnType<typeof lossFunction>,
  ) {}

  static async create(init: InitRequest): Promise<{ replica: Replica; ready: ReadyReply }> {
    for (const specifier of init.imports) await import(specifier);
    for (const specifier of BACKEND_MODULES[init.backend] ?? []) await import(specifier);
    if (!(await tf.setBackend(init.backend)) || tf.getBackend() !== init.backend) {
      throw new Error(
        `Backend '${init.backend}' did not start in the worker (tf.getBackend() is '${tf.getBackend()}'). ` +
          `Backends with built-in support: ${Object.keys(BACKEND_MODULES).join(', ')}; ` +
          `for another, name the module that registers it in \`imports\`.`,
      );
    }
    const model = await rebuild(init.topology);
    const replica = new Replica(model, lossFunction(init.loss));
    assertFloat32(model.weights, 'replica');
    replica.setWeights(init.weights);
    const ready: ReadyReply = {
      type: 'ready',
      backend: tf.getBackend(),
      trainableShapes: model.trainableWeights.map(weightShape),
      nonTrainableShapes: model.nonTrainableWeights.map(weightShape),
    };
    return { replica, ready };
  }

  /** Trainable then non-trainable weights, end to end. */
  setWeights(flat: Float32Array): void {
    const end = writeFlat(this.model.nonTrainableWeights, flat, writeFlat(this.model.trainableWeights, flat));
    if (end !== flat.length) throw new Error(`Replica expected ${end} weight values, received ${flat.length}.`);
  }

  getWeights(): Float32Array {
    return readFlat([...this.model.trainableWeights, ...this.model.nonTrainableWeights]);
  }

  /** Loss and gradients on the shard, in training mode (BatchNorm updates its moving statistics here). */
  step(request: StepRequest): Omit<GradsReply, 'ms' | 'numTensors'> {
    this.setWeights(request.weights);
    const variables = this.model.trainableWeights.map((w) => w.read() as tf.Variable);
    const grads = new Float32Array(variables.reduce((n, v) => n + v.size, 0));
    // One tidy around everything, and the aborted tape released: a step that throws leaves no tensor behind.
    const loss = withTapeReleasedOnError(() =>
      tf.tidy(() => {
        const x = tf.tensor(request.x, request.xShape, 'float32');
        const y = tf.tensor(request.y, request.yShape, request.y instanceof Int32Array ? 'int32' : 'float32');
        const { value, grads: named } = tf.variableGrads(() => {
          let total = this.loss(y, this.model.apply(x, { training: true }) as tf.Tensor);
          for (const penalty of this.model.calculateLosses()) total = tf.add(total, penalty);
          return total;
        }, variables);
        let offset = 0;
        for (const v of variables) {
          // A weight the loss does not reach has no gradient: its slot stays zero.
          const g = named[v.name];
          if (g != null) grads.set(g.dataSync(), offset);
          offset += v.size;
        }
        return value.dataSync()[0];
      }),
    );
    return { type: 'grads', loss, grads, state: readFlat(this.model.nonTrainableWeights) };
  }

  dispose(): void {
    this.model.dispose();
  }
}

/**
 * Runs `f`; if it throws while `tf.variableGrads` is recording, disposes the
 * tensors the engine saved for the backward pass. TF.js frees them only when
 * the backward pass runs, so an exception in the forward pass strands them
 * (tfjs-core `Engine.gradients`); this does the clean-up it would have done.
 */
function withTapeReleasedOnError<T>(f: () => T): T {
  try {
    return f();
  } catch (error) {
    const state = tf.engine().state as unknown as {
      gradientDepth: number;
      activeTape: { saved?: tf.Tensor[] }[] | null;
    };
    if (state.gradientDepth === 0 && state.activeTape != null) {
      for (const node of state.activeTape) tf.dispose(node.saved ?? []);
      state.activeTape = null;
    }
    throw error;
  }
}

async function rebuild(topology: string): Promise<tf.LayersModel> {
  try {
    return await tf.models.modelFromJSON({ modelTopology: JSON.parse(topology) as tf.serialization.ConfigDict });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(
      `The worker could not rebuild the model: ${message}. If the model uses custom layers, name the modules ` +
        `that register them in \`imports\` (e.g. ['tfjs-skip']), so they are registered in the worker too.`,
      { cause: error },
    );
  }
}
