import * as tf from '@tensorflow/tfjs';
import { walkLayers } from 'tfjs-skip';
import { countCorrect, logitsOf, trainStepAsync } from 'tfjs-skip-train';
import { imagesTensor, labelsTensor, permutation, type Split } from './data.js';

type Layer = tf.layers.Layer;

/**
 * The layers that hold trainable weights, in depth order, looking inside
 * every layer that holds others (SkipConnections, main path then skip path;
 * Shortcut projections; nested models) through tfjs-skip's `walkLayers`:
 * the rows of the gradient heat map.
 */
export function weightedLeaves(model: tf.LayersModel): Layer[] {
  const walked = [...walkLayers(model)];
  const holders = new Set(walked.map(({ parent }) => parent));
  return walked.map(({ layer }) => layer).filter((layer) => !holders.has(layer) && layer.trainableWeights.length > 0);
}

/** What one training step measured. */
export interface StepRecord {
  loss: number;
  /** L2 norm of the loss gradient per weighted layer (all its weights together). */
  gradNorms: Float32Array;
}

/**
 * One model being trained with Adam by an explicit loop (not `fit`), so every
 * step can also report the gradient norm of each layer. The steps are
 * tfjs-skip-train's, on the model's logits (`logitsOf`: a model saved by
 * `tfjs-skip train` ends in a Softmax `probabilities` layer, trained under it).
 */
export class Run {
  readonly leaves: Layer[];
  readonly steps: StepRecord[] = [];
  /** Test accuracy after `step` steps. */
  readonly accuracy: Array<{ step: number; value: number }> = [];
  private readonly optimizer: tf.Optimizer;
  private readonly logits: tf.LayersModel;
  private readonly rowOf: Map<string, number>;

  constructor(
    readonly label: string,
    readonly model: tf.LayersModel,
    learningRate: number,
  ) {
    this.leaves = weightedLeaves(model);
    this.optimizer = tf.train.adam(learningRate);
    this.logits = logitsOf(model);
    this.rowOf = new Map();
    this.leaves.forEach((leaf, row) =>
      leaf.trainableWeights.forEach((w) => this.rowOf.set((w.read() as tf.Variable).name, row)),
    );
  }

  /** Row labels of the heat map. */
  get rowNames(): string[] {
    return this.leaves.map((l) => l.name);
  }

  /** One Adam step on `(x, y)`; resolves when its numbers are read back. */
  async step(x: tf.Tensor, y: tf.Tensor): Promise<StepRecord> {
    let norms: tf.Tensor | undefined;
    const { loss } = await trainStepAsync(this.logits, this.optimizer, x, y, (grads) => {
      norms = tf.keep(this.layerNorms(grads));
    });
    const gradNorms = await norms!.data();
    norms!.dispose();
    const record = { loss, gradNorms: Float32Array.from(gradNorms) };
    this.steps.push(record);
    return record;
  }

  /** The L2 norm of each weighted layer's gradients (a row of the heat map each). */
  private layerNorms(grads: tf.NamedTensorMap): tf.Tensor {
    return tf.tidy(() => {
      const squares: tf.Tensor[][] = this.leaves.map(() => []);
      for (const [name, g] of Object.entries(grads)) {
        const row = this.rowOf.get(name);
        if (row != null) squares[row].push(tf.sum(tf.square(g)));
      }
      return tf.sqrt(tf.stack(squares.map((s) => (s.length > 0 ? tf.addN(s) : tf.scalar(0)))));
    });
  }

  /** Accuracy on `split`, in batches, recorded at the current step. */
  async evaluate(split: Split, limit = split.count, batchSize = 250): Promise<number> {
    let correct = 0;
    for (let start = 0; start < limit; start += batchSize) {
      const indices = Array.from({ length: Math.min(batchSize, limit - start) }, (_, i) => start + i);
      const hits = tf.tidy(() =>
        countCorrect(this.logits.predict(imagesTensor(split, indices)) as tf.Tensor, labelsTensor(split, indices)),
      );
      correct += (await hits.data())[0];
      hits.dispose();
    }
    const value = correct / limit;
    this.accuracy.push({ step: this.steps.length, value });
    return value;
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}

/** Shuffled mini-batches of a split, reshuffled (with a new seed) each epoch. */
export class Batches {
  private order: Uint32Array;
  private position = 0;
  private epoch = 0;

  constructor(
    private readonly split: Split,
    private readonly batchSize: number,
    private readonly seed: number,
  ) {
    this.order = permutation(split.count, seed);
  }

  /** The next batch as tensors the caller disposes. */
  next(): { x: tf.Tensor4D; y: tf.Tensor1D } {
    if (this.position + this.batchSize > this.split.count) {
      this.epoch += 1;
      this.order = permutation(this.split.count, this.seed + this.epoch);
      this.position = 0;
    }
    const indices = this.order.subarray(this.position, this.position + this.batchSize);
    this.position += this.batchSize;
    return { x: imagesTensor(this.split, indices), y: labelsTensor(this.split, indices) };
  }
}
