import * as tf from '@tensorflow/tfjs';
import { walkLayers } from 'tfjs-skip';
import type { DataSplits } from 'tfjs-skip-data';
import { evaluateAsync, fit, logitsOf, type StepProgress } from 'tfjs-skip-train';
import type { PageRun } from './recipe_choice.js';

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
  /** The batch's loss, before the update. */
  readonly loss: number;
  /** The rate the step trained at: the recipe's schedule at that step. */
  readonly learningRate: number;
  /**
   * L2 norm of the loss gradient per weighted layer (all its weights
   * together); empty until read back from the backend (a moment later on a GPU).
   */
  gradNorms: Float32Array;
}

/** How the page follows and stops one press of Train. */
export interface RunControl {
  /** Epoch `e` of the run visits the examples in the order `permutation(count, seed + e)`. */
  readonly seed: number;
  /** Measures test accuracy after every `evaluateEvery` steps (and at the end). */
  readonly evaluateEvery: number;
  /** Asked after every step: true stops the run there (the Stop button). */
  stopRequested(): boolean;
  /** Called after every step, once its record is in {@link Run.steps}. */
  onStep(progress: StepProgress): void;
}

/**
 * One model trained by `tfjs-skip-train`'s `fit` under a recipe, with every
 * step's loss, learning rate and per-layer gradient norms recorded for the
 * charts. The model trained is the model's logits (`logitsOf`: a model saved
 * by `tfjs-skip train` ends in a Softmax `probabilities` layer, trained under
 * it). Each press of Train is one run of `fit`; the optimizer, with its state,
 * carries over from one to the next.
 */
export class Run {
  readonly leaves: Layer[];
  readonly steps: StepRecord[] = [];
  /** Test accuracy after `step` steps. */
  readonly accuracy: Array<{ step: number; value: number }> = [];
  private optimizer: tf.Optimizer | undefined;
  private readonly logits: tf.LayersModel;
  private readonly rowOf: Map<string, number>;

  constructor(
    readonly label: string,
    readonly model: tf.LayersModel,
  ) {
    this.leaves = weightedLeaves(model);
    this.logits = logitsOf(model);
    this.rowOf = new Map();
    this.leaves.forEach((leaf, row) =>
      leaf.trainableWeights.forEach((weight) => this.rowOf.set((weight.read() as tf.Variable).name, row)),
    );
  }

  /** Row labels of the heat map. */
  get rowNames(): string[] {
    return this.leaves.map((l) => l.name);
  }

  /**
   * Trains `run.steps` steps of `run.recipe` on `data.train` through `fit`
   * (fewer when stopped), then measures the test accuracy. Resolves once
   * every step's numbers are read back.
   */
  async train(data: DataSplits, run: PageRun, control: RunControl): Promise<void> {
    const reads: Array<Promise<void>> = [];
    let norms: tf.Tensor | undefined;
    const started = this.steps.length;
    const result = await fit(this.logits, data.train, run.recipe, {
      epochs: run.epochs,
      seed: control.seed,
      ...(this.optimizer && { optimizer: this.optimizer }),
      interrupted: () => control.stopRequested(),
      inspect: { every: 1, onGrads: (_step, grads) => (norms = tf.keep(this.layerNorms(grads))) },
      onStep: async (progress) => {
        const record: StepRecord = {
          loss: progress.loss,
          learningRate: progress.learningRate,
          gradNorms: new Float32Array(),
        };
        this.steps.push(record);
        const stepNorms = norms!;
        reads.push(
          stepNorms.data().then((values) => {
            record.gradNorms = Float32Array.from(values);
            stepNorms.dispose();
          }),
        );
        const done = this.steps.length - started;
        if (done % control.evaluateEvery === 0 && done < run.steps) await this.evaluate(data);
        control.onStep(progress);
      },
    });
    this.optimizer = result.optimizer;
    await Promise.all(reads);
    await this.evaluate(data);
  }

  /** The L2 norm of each weighted layer's gradients (a row of the heat map each). */
  private layerNorms(grads: tf.NamedTensorMap): tf.Tensor {
    return tf.tidy(() => {
      const squares: tf.Tensor[][] = this.leaves.map(() => []);
      for (const [name, gradient] of Object.entries(grads)) {
        const row = this.rowOf.get(name);
        if (row != null) squares[row].push(tf.sum(tf.square(gradient)));
      }
      return tf.sqrt(tf.stack(squares.map((s) => (s.length > 0 ? tf.addN(s) : tf.scalar(0)))));
    });
  }

  /** Accuracy on the test split (`tfjs-skip-train`'s `evaluateAsync`), recorded at the current step. */
  private async evaluate(data: DataSplits): Promise<void> {
    const step = this.steps.length;
    this.accuracy.push({ step, value: (await evaluateAsync(this.logits, data.test)).accuracy });
  }

  dispose(): void {
    this.optimizer?.dispose();
  }
}
