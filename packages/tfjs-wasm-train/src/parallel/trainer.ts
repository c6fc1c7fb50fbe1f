import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { assertFloat32, readFlat, sizeOf, splitFlat, totalSize, weightShape } from './flat_weights.js';
import { type LossName, checkTargets, lossFunction } from './losses.js';
import { type OptimizerSpec, makeOptimizer } from './optimizers.js';
import type { GradsReply } from './protocol.js';
import { ReplicaClient } from './replica_client.js';

export interface DataParallelTrainerOptions {
  /**
   * The model to train, in place: after each step it holds the new weights.
   * One input, one output; freeze layers (`trainable = false`) before
   * `create`, which fixes the set of trainable weights.
   */
  model: tf.LayersModel;
  /** Number of replica workers. Default: `os.availableParallelism()`. */
  workers?: number;
  /**
   * Backend of every replica: `'wasm'` (default; tfjs-backend-wasm with this
   * package's training kernels), `'cpu'`, `'tensorflow'` (needs
   * `@tensorflow/tfjs-node`), or any backend a module in `imports` registers.
   */
  backend?: string;
  /** A named optimizer, or a `tf.Optimizer`; it runs once per step, in this thread. */
  optimizer: OptimizerSpec | tf.Optimizer;
  /** The loss, by name: the mean over the batch. */
  loss: LossName;
  /**
   * Modules each worker imports before rebuilding the model, so the custom
   * layers it uses are registered there too: package names
   * (`['tfjs-skip', 'tfjs-skip/zoo']`, resolved from this package's location,
   * which finds hoisted dependencies) or absolute `file:` URLs (your own
   * modules, or `import.meta.resolve('pkg')` where a package is not hoisted).
   */
  imports?: string[];
}

export interface StepOptions {
  /**
   * How many examples each replica gets, in order; they must add up to the
   * batch size. Default: as even as possible, the first replicas taking one
   * more. A replica given 0 sits the step out.
   */
  shardSizes?: number[];
}

export interface StepResult {
  /** Mean loss over the whole batch: the shard-size-weighted mean of the replicas' losses. */
  loss: number;
  shardSizes: number[];
  /** Milliseconds each replica spent on its shard (0 when it sat out). */
  replicaMs: number[];
  /** `tf.memory().numTensors` in each replica after its step (constant across steps unless a kernel leaks). */
  replicaTensors: number[];
}

/**
 * Data-parallel training over `worker_threads`: each worker holds a replica
 * of the model on its own backend; each step splits the batch across them,
 * averages their gradients weighted by shard size (so the result is the
 * gradient of the mean loss over the whole batch, uneven splits included)
 * and applies the optimizer once, here, to `model`.
 *
 * Why the optimizer runs in this thread: there is one optimizer state (not
 * one Adam moment per replica), `model` is current as soon as `step()`
 * resolves (predict or save it without asking the workers), any
 * `tf.Optimizer` works, and a step is the same `applyGradients` a
 * single-process loop runs, so the two agree up to float error. Replicas
 * receive the weights with every step, so they cannot drift, and changes made
 * to `model` between steps (`setWeights`) reach them.
 *
 * BatchNorm: in training mode each replica normalises with its own shard's
 * statistics (as PyTorch's DistributedDataParallel without SyncBatchNorm).
 * After each step, every non-trainable weight the step changed (BatchNorm
 * moving mean and variance) is set in `model` to the shard-size-weighted mean
 * of the replicas' values: the moving mean is then exactly what single-process
 * training computes; the moving variance lacks the between-shard part of the
 * batch variance. Dropout draws different masks than a single process would.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { DataParallelTrainer } from 'tfjs-wasm-train/parallel';
 *
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4] })] });
 * const trainer = await DataParallelTrainer.create({
 *   model, workers: 2, backend: 'wasm', optimizer: { name: 'adam', learningRate: 0.01 }, loss: 'softmaxCrossEntropy',
 * });
 * const xs = tf.randomNormal([7, 4]);
 * const ys = tf.tensor1d([0, 1, 2, 0, 1, 2, 0], 'int32');
 * const { shardSizes } = await trainer.step(xs, ys); // model now holds the updated weights
 * shardSizes; // => [4, 3]
 * await trainer.dispose();
 * ```
 */
export class DataParallelTrainer {
  private readonly trainable: tf.LayerVariable[];
  private readonly nonTrainable: tf.LayerVariable[];
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  private constructor(
    readonly model: tf.LayersModel,
    readonly optimizer: tf.Optimizer,
    private readonly loss: LossName,
    private readonly replicas: ReplicaClient[],
    /** The backend every replica runs on. */
    readonly backend: string,
  ) {
    this.trainable = model.trainableWeights;
    this.nonTrainable = model.nonTrainableWeights;
  }

  /** Starts the workers and waits until each has rebuilt the model with `model`'s weights. */
  static async create(options: DataParallelTrainerOptions): Promise<DataParallelTrainer> {
    const { model } = options;
    const workers = options.workers ?? availableParallelism();
    const backend = options.backend ?? 'wasm';
    if (!Number.isInteger(workers) || workers < 1)
      throw new Error(`workers must be a positive integer, received ${workers}.`);
    if (model.inputs.length !== 1 || model.outputs.length !== 1) {
      throw new Error(
        `DataParallelTrainer trains models with one input and one output; this one has ` +
          `${model.inputs.length} inputs and ${model.outputs.length} outputs.`,
      );
    }
    assertFloat32(model.weights, 'DataParallelTrainer');
    lossFunction(options.loss);
    const optimizer = makeOptimizer(options.optimizer);
    const topology = JSON.stringify(model.toJSON(null, false));
    const weights = readFlat([...model.trainableWeights, ...model.nonTrainableWeights]);
    const replicas = Array.from({ length: workers }, (_, i) => new ReplicaClient(i));
    try {
      const readies = await Promise.all(
        replicas.map((r) =>
          r.request({
            type: 'init',
            topology,
            weights: weights.slice(),
            backend,
            imports: options.imports ?? [],
            loss: options.loss,
          }),
        ),
      );
      for (const [i, ready] of readies.entries()) {
        assertSameShapes(model.trainableWeights, ready.trainableShapes, `replica ${i}'s trainable weights`);
        assertSameShapes(model.nonTrainableWeights, ready.nonTrainableShapes, `replica ${i}'s non-trainable weights`);
      }
    } catch (error) {
      await Promise.all(replicas.map((r) => r.terminate()));
      throw error;
    }
    return new DataParallelTrainer(model, optimizer, options.loss, replicas, backend);
  }

  /** Number of replica workers. */
  get workers(): number {
    return this.replicas.length;
  }

  /**
   * One optimizer step on the batch `xs` (`[n, ...inputShape]`, float32) and
   * `ys` (the loss's targets, `[n, ...]`): gradients on the shards, averaged,
   * applied once to `model`. Steps run one after another in call order.
   */
  step(xs: tf.Tensor, ys: tf.Tensor, options: StepOptions = {}): Promise<StepResult> {
    return this.enqueue(() => this.runStep(xs, ys, options));
  }

  /**
   * Waits for pending steps, then sends `model`'s weights to every replica.
   * When it resolves, each replica holds exactly `model`'s weights.
   */
  sync(): Promise<void> {
    return this.enqueue(async () => {
      const weights = this.allWeights();
      await Promise.all(this.replicas.map((r) => r.request({ type: 'setWeights', weights: weights.slice() })));
    });
  }

  /** The weights replica `index` holds, in `model.getWeights()` order (to check that replicas agree). */
  replicaWeights(index: number): Promise<Float32Array[]> {
    return this.enqueue(async () => {
      const replica = this.replicas[index];
      if (replica == null) throw new Error(`There is no replica ${index}; this trainer has ${this.replicas.length}.`);
      const { weights } = await replica.request({ type: 'getWeights' });
      return splitFlat(weights, [...this.trainable, ...this.nonTrainable].map(weightShape));
    });
  }

  /**
   * Waits for pending steps, disposes every replica and waits for its thread
   * to exit. Rejects if a replica leaked tensors or its thread had to be
   * stopped. `model` and the optimizer stay usable; the trainer does not.
   */
  dispose(): Promise<void> {
    return this.enqueue(async () => {
      this.disposed = true;
      const problems: string[] = [];
      await Promise.all(
        this.replicas.map(async (r, i) => {
          try {
            const { numTensors } = await r.request({ type: 'close' });
            if (numTensors !== 0)
              problems.push(`replica ${i} still held ${numTensors} tensors after disposing its model`);
            const code = await Promise.race([r.exited, delay(10_000).then(() => 'timeout' as const)]);
            if (code === 'timeout') {
              await r.terminate();
              problems.push(`replica ${i} did not exit within 10 s and was terminated`);
            } else if (code !== 0) {
              problems.push(`replica ${i} exited with code ${code}`);
            }
          } catch (error) {
            await r.terminate();
            problems.push(error instanceof Error ? error.message : String(error));
          }
        }),
      );
      if (problems.length > 0) throw new Error(`DataParallelTrainer.dispose(): ${problems.join('; ')}.`);
    });
  }

  private async runStep(xs: tf.Tensor, ys: tf.Tensor, options: StepOptions): Promise<StepResult> {
    const batch = xs.shape[0] ?? 0;
    this.checkBatch(xs, ys);
    const shardSizes = options.shardSizes ?? evenShards(batch, this.replicas.length);
    checkShards(shardSizes, batch, this.replicas.length);
    const x = (await xs.data()) as Float32Array;
    const y = (await ys.data()) as Float32Array | Int32Array;
    const xRow = x.length / Math.max(batch, 1);
    const yRow = y.length / Math.max(batch, 1);
    const weights = this.allWeights();

    let start = 0;
    const replies = await Promise.all(
      this.replicas.map((replica, i) => {
        const n = shardSizes[i];
        const [from, to] = [start, start + n];
        start = to;
        if (n === 0) return Promise.resolve(undefined);
        const shardX = x.slice(from * xRow, to * xRow);
        const shardY = y.slice(from * yRow, to * yRow);
        const w = weights.slice();
        return replica.request(
          {
            type: 'step',
            weights: w,
            x: shardX,
            xShape: [n, ...xs.shape.slice(1)],
            y: shardY,
            yShape: [n, ...ys.shape.slice(1)],
          },
          [w.buffer, shardX.buffer, shardY.buffer] as ArrayBuffer[],
        );
      }),
    );

    const shares = shardSizes.map((n) => n / batch);
    const grads = weightedMean(replies, shares, (r) => r.grads);
    tf.tidy(() => {
      const gradShapes = this.trainable.map(weightShape);
      const named = splitFlat(grads, gradShapes).map((g, i) => ({
        name: (this.trainable[i].read() as tf.Variable).name,
        tensor: tf.tensor(g, gradShapes[i], 'float32'),
      }));
      this.optimizer.applyGradients(named);
    });
    this.mergeState(weights.subarray(totalSize(this.trainable.map(weightShape))), replies, shares);

    return {
      loss: replies.reduce((sum, r, i) => sum + (r == null ? 0 : shares[i] * r.loss), 0),
      shardSizes,
      replicaMs: replies.map((r) => r?.ms ?? 0),
      replicaTensors: replies.map((r) => r?.numTensors ?? 0),
    };
  }

  /** Non-trainable weights a step changed in some replica become the weighted mean of the replicas' values. */
  private mergeState(sent: Float32Array, replies: (GradsReply | undefined)[], shares: number[]): void {
    const merged = weightedMean(replies, shares, (r) => r.state);
    let offset = 0;
    for (const w of this.nonTrainable) {
      const shape = weightShape(w);
      const size = sizeOf(shape);
      const changed = replies.some((r) => r != null && !sameValues(r.state, sent, offset, size));
      if (changed) {
        const value = tf.tensor(merged.slice(offset, offset + size), shape, 'float32');
        w.write(value);
        value.dispose();
      }
      offset += size;
    }
  }

  private allWeights(): Float32Array {
    return readFlat([...this.trainable, ...this.nonTrainable]);
  }

  private checkBatch(xs: tf.Tensor, ys: tf.Tensor): void {
    const expected = this.model.inputs[0].shape.slice(1);
    const received = xs.shape.slice(1);
    const fits = expected.length === received.length && expected.every((d, i) => d == null || d === received[i]);
    if (!fits) {
      throw new Error(
        `step(): xs has shape [${xs.shape}], but the model takes inputs of shape [null,${expected.join(',')}].`,
      );
    }
    if (xs.dtype !== 'float32') throw new Error(`step(): xs must be float32, received ${xs.dtype}.`);
    if (ys.shape[0] !== xs.shape[0]) {
      throw new Error(`step(): xs and ys must have the same batch size; received [${xs.shape}] and [${ys.shape}].`);
    }
    if (xs.shape[0] === 0) throw new Error('step(): the batch is empty.');
    checkTargets(this.loss, ys.shape, this.model.outputs[0].shape);
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(() => {
      if (this.disposed) throw new Error('This DataParallelTrainer has been disposed.');
      return task();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** `batch` split as evenly as possible over `parts`, the first parts taking one more. */
export function evenShards(batch: number, parts: number): number[] {
  const base = Math.floor(batch / parts);
  return Array.from({ length: parts }, (_, i) => base + (i < batch % parts ? 1 : 0));
}

function checkShards(sizes: number[], batch: number, parts: number): void {
  const valid = sizes.length === parts && sizes.every((n) => Number.isInteger(n) && n >= 0);
  if (!valid || sizes.reduce((a, b) => a + b, 0) !== batch) {
    throw new Error(
      `shardSizes must be ${parts} non-negative integers adding up to the batch size ${batch}; received [${sizes}].`,
    );
  }
}

/** Σ share_i · pick(reply_i), accumulated in double precision. */
function weightedMean(
  replies: (GradsReply | undefined)[],
  shares: number[],
  pick: (r: GradsReply) => Float32Array,
): Float32Array {
  const first = replies.find((r) => r != null);
  const sum = new Float64Array(first == null ? 0 : pick(first).length);
  replies.forEach((r, i) => {
    if (r == null) return;
    const values = pick(r);
    const share = shares[i];
    for (let j = 0; j < sum.length; j++) sum[j] += share * values[j];
  });
  return Float32Array.from(sum);
}

function sameValues(a: Float32Array, b: Float32Array, offset: number, size: number): boolean {
  for (let j = offset; j < offset + size; j++) if (a[j] !== b[j - offset]) return false;
  return true;
}

function assertSameShapes(weights: tf.LayerVariable[], shapes: number[][], what: string): void {
  const expected = weights.map((w) => `[${w.shape}]`).join(' ');
  const received = shapes.map((s) => `[${s}]`).join(' ');
  if (expected !== received) {
    throw new Error(
      `The model rebuilt in the worker differs from the original: ${what} are ${received}, expected ${expected}.`,
    );
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
