import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { DEFAULT_LOAD_LIMITS } from 'tfjs-skip';
import { BACKENDS } from './backend.js';
import { COMPARE_DEFAULTS, compareCommand, type CompareOptions } from './commands/compare.js';
import { convertCommand, type ConvertOptions } from './commands/convert.js';
import { nonNegativeInt, positiveInt, positiveInts } from './commands/numbers.js';
import { addRecipeOptions } from './recipes/options.js';
import { summaryCommand, type SummaryOptions } from './commands/summary.js';
import { TRAIN_DEFAULTS, trainCommand, type TrainOptions } from './commands/train.js';
import { MODEL_NAMES } from './models/registry.js';

const DATA_HELP =
  "'sample' (the Fashion-MNIST sample shipped here), 'fashion-mnist' (Debian's dataset-fashion-mnist), " +
  "'mnist:DIR', 'fashion-mnist:DIR', 'cifar10:DIR' or a folder";

/**
 * The `tfjs-skip` command line. Each action stores its exit code in
 * `result.code`; errors propagate to the caller, which prints them on one line.
 */
export function buildProgram(result: { code: number }): Command {
  const program = new Command('tfjs-skip')
    .description('Train and compare plain and residual networks on real data, with TensorFlow.js and tfjs-skip.')
    .version(packageVersion())
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  const backend = () =>
    new Option(
      '--backend <name>',
      'TF.js backend (default auto: onednn if its addon loads, else wasm with its training kernels, else cpu)',
    ).choices(BACKENDS);
  const threads = () =>
    new Option(
      '--threads <n>',
      "threads for oneDNN or the wasm backend's training kernels (default: every core; 1 for one thread)",
    ).argParser(positiveInt);

  const maxParameters = () =>
    new Option(
      '--max-parameters <n>',
      `for a model file: the most weights it may hold (default ${DEFAULT_LOAD_LIMITS.maxParameters}, ` +
        '1 GiB of float32); raise it for a bigger model you trust, e.g. ConvNeXtXLarge (350M)',
    ).argParser(positiveInt);

  program
    .command('summary')
    .description('print the layer table of a model (nested paths with --expand)')
    .requiredOption('--model <name>', `model: ${MODEL_NAMES.join('; ')}; or a model file (.keras, .h5, model.json)`)
    .option('--expand', 'list the layers inside each SkipConnection')
    .option('--input-shape <dims>', 'image shape HxWxC', (v) => parseShape(v), [32, 32, 3])
    .option('--classes <n>', 'number of classes', positiveInt, 10)
    .addOption(maxParameters())
    .action(async (o: SummaryOptions) => void (result.code = await summaryCommand(o)));

  program
    .command('convert')
    .description(
      'convert a model between a Keras file (.keras, legacy .h5) and a TF.js folder (model.json + weights), ' +
        'either way, or write it as ONNX (FILE.onnx)',
    )
    .argument('<in>', 'the model to read: FILE.keras, FILE.h5, or a TF.js folder / model.json')
    .argument('<out>', 'where to write it: FILE.keras, FILE.h5, FILE.onnx, or a TF.js folder')
    .option('--allow-non-finite', 'load weights holding NaN or Infinity instead of refusing them')
    .addOption(maxParameters())
    .addOption(
      new Option(
        '--layout <layout>',
        'for FILE.onnx: image inputs and outputs NHWC as in TF.js (channelsLast, the default) or NCHW (channelsFirst)',
      ).choices(['channelsLast', 'channelsFirst']),
    )
    .action(
      async (input: string, output: string, o: ConvertOptions) =>
        void (result.code = await convertCommand(input, output, o)),
    );

  const train = program
    .command('train')
    .description('train a model, checkpoint every epoch, write model.json, metrics.json and report.html')
    .option(
      '--model <name>',
      `model (default ${TRAIN_DEFAULTS.model}): ${MODEL_NAMES.join('; ')}; or a model file to fine-tune ` +
        '(.keras, .h5, model.json; its head replaced when the classes differ)',
    )
    .addOption(maxParameters())
    .option('--data <source>', `data: ${DATA_HELP}`, TRAIN_DEFAULTS.data)
    .option('--epochs <n>', `epochs (default ${TRAIN_DEFAULTS.epochs}; with --resume, the new total)`, positiveInt)
    .addOption(backend())
    .addOption(threads())
    .option('--out <dir>', 'output folder (default out/MODEL)')
    .option('--resume', 'continue the interrupted or finished run in --out, exactly where its last checkpoint left it')
    .option('--examples <n>', 'train on a class-balanced subset of about n images', positiveInt)
    .option(
      '--seed <n>',
      'seed of the initial weights, the shuffling and the augmentation',
      nonNegativeInt,
      TRAIN_DEFAULTS.seed,
    );
  addRecipeOptions(train, TRAIN_DEFAULTS).action(async (o: TrainOptions) => void (result.code = await trainCommand(o)));

  const compare = program
    .command('compare')
    .description('train plain nets and their residual twins side by side: loss curves and per-layer gradient norms')
    .option(
      '--depth <n...>',
      `depths to compare (default ${COMPARE_DEFAULTS.depth.join(' ')}); 6n+2 for conv, 2k+2 for mlp`,
      positiveInts,
    )
    .addOption(
      new Option(
        '--family <kind>',
        `conv: zoo plain-N vs resnet-N; mlp: mlp-N vs residual-mlp-N (default ${COMPARE_DEFAULTS.family})`,
      ).choices(['conv', 'mlp']),
    )
    .option('--data <source>', `data: ${DATA_HELP}`, COMPARE_DEFAULTS.data)
    .option('--examples <n>', `class-balanced training subset (default ${COMPARE_DEFAULTS.examples})`, positiveInt)
    .option('--epochs <n>', `epochs (default ${COMPARE_DEFAULTS.epochs})`, positiveInt)
    .addOption(backend())
    .addOption(threads())
    .option('--out <dir>', 'output folder for report.html and metrics.json', 'out/compare')
    .option(
      '--seed <n>',
      'seed of the initial weights, the shuffling and the augmentation, shared by both nets',
      nonNegativeInt,
      COMPARE_DEFAULTS.seed,
    );
  addRecipeOptions(compare, COMPARE_DEFAULTS).action(
    async (o: CompareOptions) => void (result.code = await compareCommand(o)),
  );

  return program;
}

function parseShape(value: string): number[] {
  const dims = value.split(/[x,]/).map((d) => positiveInt(d));
  if (dims.length !== 3) throw new Error(`expected HxWxC, e.g. 28x28x1, received ${JSON.stringify(value)}`);
  return dims;
}

function packageVersion(): string {
  const json = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return json.version;
}
