import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { chooseBackend } from '../backend.js';
import type { Dataset } from 'tfjs-skip-data';
import { CliError } from '../errors.js';
import { listenForInterrupt } from '../interrupt.js';
import { checkOutDir, makeOutDir } from '../io/out_dir.js';
import { writeAtomic } from 'tfjs-skip/node';
import { buildNamedModel } from '../models/registry.js';
import { modelFromFile } from '../models/from_file.js';
import { isModelPath } from '../io/model_files.js';
import { createProgress } from '../progress.js';
import { evaluate, fit, logitsOf, makeOptimizer, type Recipe, recipeText, resolveRecipe } from 'tfjs-skip-train';
import type { RecipeFlags } from '../recipes/options.js';
import { loadCheckpoint, saveCheckpoint } from '../train/checkpoint.js';
import { killPoint } from '../train/kill_point.js';
import type { RunState } from '../train/run_state.js';
import { terminalHooks } from '../train/terminal_hooks.js';
import { prepareForTraining } from './compile.js';
import { imageShape, loadCommandData } from './load_data.js';
import { trainMetrics } from './train_metrics.js';
import { trainReport } from './train_report.js';

/** Defaults of `tfjs-skip train`, chosen by measurement (see the README). */
export const TRAIN_DEFAULTS = {
  model: 'resnet-8',
  data: 'sample',
  epochs: 5,
  batchSize: 64,
  /** Adam's rate, decayed to 0 by a cosine over the run: better than a constant 0.002 on every seed tried
   * (experiments/README.md). */
  learningRate: 3e-3,
  schedule: 'cosine',
  seed: 1,
} as const;

/** Options of `tfjs-skip train` as commander parses them. */
export interface TrainOptions extends RecipeFlags {
  model?: string;
  /** For `--model FILE`: the most parameters it may hold (the safe loader's maxParameters). */
  maxParameters?: number;
  data: string;
  epochs?: number;
  backend?: string;
  threads?: number;
  out?: string;
  resume?: boolean;
  seed: number;
  examples?: number;
}

/**
 * `tfjs-skip train`: trains a model, checkpointing each epoch into `--out`,
 * then writes metrics.json and report.html. Returns the exit code: 0 when
 * done, 130 when interrupted (a checkpoint is written first).
 */
export async function trainCommand(options: TrainOptions): Promise<number> {
  const out = checkOutDir(options.out ?? join('out', options.model ?? TRAIN_DEFAULTS.model));
  const modelFile = join(out, 'model.json');
  if (!options.resume && existsSync(modelFile)) {
    throw new CliError(`${modelFile} already exists`, 'pass --resume to continue that run, or choose another --out');
  }
  const data = await loadCommandData(options.data, options.examples);
  const backend = await chooseBackend(options.backend, options.threads);
  const progress = createProgress();
  progress.log(backend.note);
  // `model` predicts probabilities and is what each checkpoint saves; `logits`, sharing its weights, is what trains.
  const { model, logits, optimizer, state, recipe } = options.resume
    ? await resumeRun(out, options, data.train)
    : await newRun(options, data.train, (line) => progress.log(line));
  progress.log(
    `${state.model}: ${model.countParams().toLocaleString('en-US')} parameters; ` +
      `${data.splits.name}: ${data.train.count} training, ${data.splits.test.count} test images; ` +
      `${state.epochs} epoch${state.epochs === 1 ? '' : 's'} of batch ${state.batchSize}`,
  );
  progress.log(recipeText(recipe));
  makeOutDir(out);
  const started = performance.now();
  const interrupt = listenForInterrupt(() =>
    progress.log('\nstopping after this step to write a checkpoint (Ctrl-C again to quit at once)'),
  );
  let result;
  try {
    result = await fit(logits, data.train, recipe, {
      epochs: state.epochs,
      seed: state.seed,
      optimizer,
      resume: state,
      ...terminalHooks({ progress, label: state.model, interrupt, stepLoss: state.stepLoss }),
      checkpoint: ({ history, partial }) => saveCheckpoint(model, out, { ...state, history: [...history], partial }),
    });
  } finally {
    progress.stop();
    interrupt.dispose();
  }
  if (!result.finished) {
    const at = result.partial
      ? `epoch ${result.partial.epoch}, step ${result.partial.step}`
      : `the end of epoch ${result.history.length}`;
    process.stderr.write(
      `interrupted at ${at}: checkpoint saved to ${modelFile}; run the same command with --resume to continue\n`,
    );
    return 130;
  }
  killPoint('finish');
  const test = evaluate(logits, data.splits.test);
  const final: RunState = { ...state, history: result.history, partial: undefined };
  const metrics = trainMetrics({
    state: final,
    recipe,
    data,
    backend: backend.name,
    threads: backend.threads,
    params: model.countParams(),
    test,
    sessionSeconds: (performance.now() - started) / 1000,
  });
  // metrics.json last: its presence marks a finished run (a run killed before it is finished by --resume).
  await writeAtomic(join(out, 'report.html'), await trainReport(metrics));
  await writeAtomic(join(out, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
  progress.log(
    `test accuracy ${test.accuracy.toFixed(4)} (loss ${test.loss.toFixed(4)}) on ${data.splits.test.count} images`,
  );
  progress.log(`wrote ${modelFile}, ${join(out, 'metrics.json')}, ${join(out, 'report.html')}`);
  model.dispose();
  return 0;
}

async function newRun(options: TrainOptions, train: Dataset, log: (line: string) => void) {
  const name = options.model ?? TRAIN_DEFAULTS.model;
  const shape = { inputShape: [train.height, train.width, train.channels], classes: train.classes };
  const epochs = options.epochs ?? TRAIN_DEFAULTS.epochs;
  const recipe = resolveRecipe(options.recipe ?? 'adam', TRAIN_DEFAULTS, options, { epochs, imageWidth: train.width });
  const optimizer = makeOptimizer(recipe);
  let model: tf.LayersModel;
  let logits: tf.LayersModel;
  if (isModelPath(name)) {
    // A model file (a keras.applications model, ...): fine-tuned, its head replaced when the classes differ.
    const file = await modelFromFile(name, shape, options.seed, options.maxParameters);
    log(file.note);
    model = file.model;
    model.compile({ optimizer, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    logits = logitsOf(model);
  } else {
    const built = buildNamedModel(name, shape, options.seed);
    logits = prepareForTraining(built, optimizer);
    model = built;
  }
  const state: RunState = {
    version: 1,
    model: name,
    data: options.data,
    seed: options.seed,
    batchSize: recipe.batchSize,
    learningRate: recipe.learningRate,
    trainExamples: train.count,
    ...shape,
    epochs,
    history: [],
    stepLoss: [],
    recipe,
  };
  return { model, logits, optimizer, state, recipe };
}

/** The recipe of a run; runs saved before recipes existed trained with Adam at a constant rate, no extras. */
function storedRecipe(state: RunState): Recipe {
  return (
    state.recipe ??
    resolveRecipe(
      'adam',
      { learningRate: state.learningRate, batchSize: state.batchSize },
      {},
      { epochs: state.epochs, imageWidth: state.inputShape[1] ?? 0 },
    )
  );
}

/** The recipe flags given with --resume that disagree with the run's recipe `stored` (a resumed run keeps it). */
function changedRecipeFlags(options: TrainOptions, stored: Recipe, state: RunState): string[] {
  const given = resolveRecipe(
    options.recipe ?? stored.name,
    { learningRate: stored.learningRate, batchSize: stored.batchSize },
    options,
    { epochs: state.epochs, imageWidth: state.inputShape[1] ?? 0 },
  );
  const explicit: Array<keyof Recipe> = (Object.keys(given) as Array<keyof Recipe>).filter(
    (key) => key !== 'name' && options[key] !== undefined,
  );
  if (options.recipe !== undefined) explicit.push('name');
  return explicit.filter((key) => JSON.stringify(given[key]) !== JSON.stringify(stored[key]));
}

async function resumeRun(out: string, options: TrainOptions, train: Dataset) {
  const { model, state } = await loadCheckpoint(out);
  const fail = (problem: string, remedy: string): never => {
    model.dispose();
    throw new CliError(problem, remedy);
  };
  const shape = imageShape(train);
  if (shape.join('x') !== state.inputShape.join('x') || train.classes !== state.classes) {
    fail(
      `--resume: the model in ${out} takes ${state.inputShape.join('x')} images in ${state.classes} classes, ` +
        `but --data ${options.data} has ${shape.join('x')} images in ${train.classes}`,
      `resume with --data ${state.data}`,
    );
  }
  if (options.model !== undefined && options.model !== state.model)
    fail(`--resume: ${out} holds a ${state.model} run, not ${options.model}`, 'drop --model or choose another --out');
  if (options.batchSize !== undefined && options.batchSize !== state.batchSize)
    fail(
      `--resume: ${out} was trained with --batch-size ${state.batchSize}, not ${options.batchSize}`,
      'drop --batch-size to resume',
    );
  const recipe = storedRecipe(state);
  const changed = changedRecipeFlags(options, recipe, state);
  if (changed.length > 0)
    fail(
      `--resume: ${out} was trained with ${recipeText(recipe)}; the flags given change ${changed.join(', ')}`,
      'resume with the same recipe flags (or none), or start a new run in another --out',
    );
  if (train.count !== state.trainExamples)
    fail(
      `--resume: ${out} was trained on ${state.trainExamples} examples, --data ${options.data} gives ${train.count}`,
      `resume with --data ${state.data} and the same --examples`,
    );
  const epochs = options.epochs ?? state.epochs;
  // A run killed after its last checkpoint but before metrics.json is finished by evaluating it.
  if (state.history.length >= epochs && state.partial === undefined && existsSync(join(out, 'metrics.json'))) {
    fail(
      `--resume: ${out} has already finished its ${state.history.length} epochs`,
      `pass a larger --epochs (e.g. --epochs ${state.history.length + 1}) to train further`,
    );
  }
  return { model, logits: logitsOf(model), optimizer: model.optimizer, state: { ...state, epochs }, recipe };
}
