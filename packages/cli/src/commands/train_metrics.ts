import { type Evaluation, learningRateAt, type Recipe, scheduleOf } from 'tfjs-skip-train';
import type { RunState } from '../train/run_state.js';
import type { CommandData } from './load_data.js';

/** What `tfjs-skip train` writes to metrics.json. */
export interface TrainMetrics {
  readonly command: 'train';
  readonly model: string;
  readonly params: number;
  readonly data: {
    source: string;
    name: string;
    trainExamples: number;
    testExamples: number;
    imageShape: number[];
    classes: number;
  };
  readonly backend: string;
  /** Threads the backend's training kernels ran on. */
  readonly threads: number;
  readonly seed: number;
  readonly batchSize: number;
  /** The peak learning rate of the schedule. */
  readonly learningRate: number;
  /** Optimizer, schedule, weight decay, augmentation, label smoothing. */
  readonly recipe: Recipe;
  readonly epochs: number;
  /** Per epoch, `epochs` entries each: mean training loss, training accuracy, seconds. */
  readonly loss: number[];
  readonly accuracy: number[];
  readonly epochSeconds: number[];
  /** Accuracy and loss of the saved model on the whole test split. */
  readonly testAccuracy: number;
  readonly testLoss: number;
  /** Seconds spent training, over all sessions of a resumed run. */
  readonly trainSeconds: number;
  /** Seconds of the last session, including evaluation. */
  readonly sessionSeconds: number;
  readonly stepLoss: Array<[number, number]>;
  /** The learning rate of each epoch's last step. */
  readonly epochLearningRate: number[];
  /** `[step, rate]` of every step of the run, from the schedule. */
  readonly stepLearningRate: Array<[number, number]>;
}

/** Builds metrics.json from a finished run. */
export function trainMetrics(run: {
  state: RunState;
  recipe: Recipe;
  data: CommandData;
  backend: string;
  threads: number;
  params: number;
  test: Evaluation;
  sessionSeconds: number;
}): TrainMetrics {
  const { state, data, recipe } = run;
  const history = state.history;
  const steps = Math.ceil(data.train.count / state.batchSize);
  const schedule = scheduleOf(recipe, state.epochs, steps);
  return {
    command: 'train',
    model: state.model,
    params: run.params,
    data: {
      source: data.source,
      name: data.splits.name,
      trainExamples: data.train.count,
      testExamples: data.splits.test.count,
      imageShape: state.inputShape,
      classes: state.classes,
    },
    backend: run.backend,
    threads: run.threads,
    seed: state.seed,
    batchSize: state.batchSize,
    learningRate: state.learningRate,
    recipe,
    epochs: history.length,
    loss: history.map((e) => e.loss),
    accuracy: history.map((e) => e.accuracy),
    epochSeconds: history.map((e) => e.seconds),
    testAccuracy: run.test.accuracy,
    testLoss: run.test.loss,
    trainSeconds: history.reduce((sum, epoch) => sum + epoch.seconds, 0),
    sessionSeconds: run.sessionSeconds,
    stepLoss: state.stepLoss,
    epochLearningRate: history.map((epoch) => epoch.learningRate ?? learningRateAt(schedule, epoch.epoch * steps - 1)),
    stepLearningRate: Array.from(
      { length: history.length * steps },
      (_, i) => [i, learningRateAt(schedule, i)] as [number, number],
    ),
  };
}
