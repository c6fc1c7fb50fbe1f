import { join } from 'node:path';
import { chooseBackend } from '../backend.js';
import { CliError } from '../errors.js';
import { listenForInterrupt, type Interrupt } from '../interrupt.js';
import { checkOutDir, makeOutDir } from '../io/out_dir.js';
import { writeAtomic } from 'tfjs-skip/node';
import { zooModel } from 'tfjs-skip';
import { buildNamedModel } from '../models/registry.js';
import { createProgress, type Progress } from '../progress.js';
import { textTable } from '../report/text_table.js';
import { batchCount } from 'tfjs-skip-data';
import { evaluate, fit, kernelGradNorms, makeOptimizer, type Recipe, recipeText, resolveRecipe } from 'tfjs-skip-train';
import { terminalHooks } from '../train/terminal_hooks.js';
import type { RecipeFlags } from '../recipes/options.js';
import { prepareForTraining } from './compile.js';
import { compareReport } from './compare_report.js';
import type { CompareMetrics, CompareRun } from './compare_metrics.js';

export type { CompareMetrics, CompareRun } from './compare_metrics.js';
import { imageShape, loadCommandData, type CommandData } from './load_data.js';

/** Defaults of `tfjs-skip compare`, chosen by measurement (see the README). */
export const COMPARE_DEFAULTS = {
  family: 'mlp',
  depth: [8, 32, 64],
  data: 'sample',
  examples: 6000,
  epochs: 5,
  batchSize: 64,
  learningRate: 1e-3,
  seed: 1,
} as const;

/** Options of `tfjs-skip compare` as commander parses them. */
export interface CompareOptions extends RecipeFlags {
  depth?: number[];
  family?: 'conv' | 'mlp';
  data: string;
  examples?: number;
  epochs?: number;
  backend?: string;
  threads?: number;
  out: string;
  seed: number;
}

/**
 * `tfjs-skip compare`: for each depth, trains the plain net and its residual
 * twin (same layers, same data order, same seed) and writes a terminal table,
 * report.html and metrics.json. Nothing is written until every net is done;
 * Ctrl-C stops without output.
 */
export async function compareCommand(options: CompareOptions): Promise<number> {
  const family = options.family ?? COMPARE_DEFAULTS.family;
  const depths = options.depth ?? [...COMPARE_DEFAULTS.depth];
  for (const d of depths) checkDepth(family, d);
  const out = checkOutDir(options.out);
  const data = await loadCommandData(options.data, options.examples ?? COMPARE_DEFAULTS.examples);
  const backend = await chooseBackend(options.backend, options.threads);
  const progress = createProgress();
  progress.log(backend.note);
  progress.log(
    `${data.splits.name}: ${data.train.count} training, ${data.splits.test.count} test images; ` +
      `depths ${depths.join(', ')} (${family})`,
  );
  const epochs = options.epochs ?? COMPARE_DEFAULTS.epochs;
  const recipe = resolveRecipe(options.recipe ?? 'adam', COMPARE_DEFAULTS, options, {
    epochs,
    imageWidth: data.train.width,
  });
  progress.log(recipeText(recipe));
  const settings = {
    epochs,
    batchSize: recipe.batchSize,
    learningRate: recipe.learningRate,
    seed: options.seed,
    recipe,
  };
  const interrupt = listenForInterrupt(() => progress.log('\nstopping: compare writes nothing when interrupted'));
  const runs: CompareRun[] = [];
  try {
    for (const depth of depths) {
      for (const kind of ['plain', 'residual'] as const) {
        const run = await trainOne({ family, depth, kind, data, progress, interrupt, ...settings });
        if (run === null) {
          process.stderr.write('interrupted: no report written; run the command again to compare\n');
          return 130;
        }
        runs.push(run);
      }
    }
  } finally {
    interrupt.dispose();
  }
  const metrics: CompareMetrics = {
    command: 'compare',
    family,
    data: {
      source: data.source,
      name: data.splits.name,
      trainExamples: data.train.count,
      testExamples: data.splits.test.count,
    },
    backend: backend.name,
    threads: backend.threads,
    ...settings,
    runs,
  };
  progress.log(`\n${compareTable(runs)}`);
  makeOutDir(out);
  await writeAtomic(join(out, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
  await writeAtomic(join(out, 'report.html'), await compareReport(metrics));
  progress.log(`wrote ${join(out, 'report.html')}, ${join(out, 'metrics.json')}`);
  return 0;
}

/** The residual zoo model of each family; its registry twin is the plain one. */
const FAMILIES = { conv: 'resnet', mlp: 'residual-mlp' } as const;

/** The model names of a depth's twins. */
export function twinNames(family: 'conv' | 'mlp', depth: number): { plain: string; residual: string } {
  const residual = zooModel(FAMILIES[family]);
  return { plain: `${residual.twin!}-${depth}`, residual: `${residual.id}-${depth}` };
}

/** Refuses a depth the family's models cannot take, with the registry's rule. */
function checkDepth(family: 'conv' | 'mlp', depth: number): void {
  const problem = zooModel(FAMILIES[family]).options['depth']!.check?.(depth) ?? null;
  if (problem !== null)
    throw new CliError(`--depth ${depth} does not fit --family ${family}`, `${family} nets' ${problem}`);
}

async function trainOne(twin: {
  family: 'conv' | 'mlp';
  depth: number;
  kind: 'plain' | 'residual';
  data: CommandData;
  progress: Progress;
  interrupt: Interrupt;
  epochs: number;
  seed: number;
  recipe: Recipe;
}): Promise<CompareRun | null> {
  const name = twinNames(twin.family, twin.depth)[twin.kind];
  const model = buildNamedModel(
    name,
    { inputShape: imageShape(twin.data.train), classes: twin.data.train.classes },
    twin.seed,
  );
  const optimizer = makeOptimizer(twin.recipe);
  const logits = prepareForTraining(model, optimizer);
  const steps = batchCount(twin.data.train, twin.recipe.batchSize);
  const gradNorms: CompareRun['gradNorms'] = [];
  const stepLoss: Array<[number, number]> = [];
  const every = Math.max(1, Math.floor((steps * twin.epochs) / 8));
  const started = performance.now();
  const result = await fit(logits, twin.data.train, twin.recipe, {
    epochs: twin.epochs,
    seed: twin.seed,
    optimizer,
    ...terminalHooks({ progress: twin.progress, label: name, interrupt: twin.interrupt, stepLoss }),
    inspect: { every, onGrads: (step, grads) => void gradNorms.push({ step, norms: kernelGradNorms(logits, grads) }) },
  });
  twin.progress.stop();
  if (!result.finished) {
    model.dispose();
    return null;
  }
  const seconds = (performance.now() - started) / 1000;
  const test = evaluate(logits, twin.data.splits.test);
  twin.progress.log(`${name}: test accuracy ${test.accuracy.toFixed(4)}, ${seconds.toFixed(0)} s`);
  const run: CompareRun = {
    depth: twin.depth,
    kind: twin.kind,
    model: name,
    params: model.countParams(),
    loss: result.history.map((e) => e.loss),
    accuracy: result.history.map((e) => e.accuracy),
    stepLoss,
    testAccuracy: test.accuracy,
    testLoss: test.loss,
    seconds,
    gradNorms,
  };
  model.dispose();
  return run;
}

/** The terminal table of a comparison. */
export function compareTable(runs: readonly CompareRun[]): string {
  const rows = runs.map((r) => {
    const layer1 = r.gradNorms[0]?.norms[0]?.norm ?? NaN;
    return [
      r.model,
      String(r.depth),
      r.params.toLocaleString('en-US'),
      (r.loss.at(-1) as number).toFixed(4),
      (r.accuracy.at(-1) as number).toFixed(4),
      r.testAccuracy.toFixed(4),
      layer1.toExponential(1),
      r.seconds.toFixed(0),
    ];
  });
  return textTable(
    ['net', 'depth', 'params', 'train loss', 'train acc', 'test acc', 'layer-1 grad @init', 'seconds'],
    rows,
  );
}
