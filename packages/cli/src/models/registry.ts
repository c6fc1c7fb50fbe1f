import type * as tf from '@tensorflow/tfjs';
import { denseNet, plainNet, resnet, toyResNet } from 'tfjs-skip';
import { CliError } from '../errors.js';
import { mlpTwin } from './mlp.js';
import { withSeededRandom } from './seeded.js';

/** The model names `--model` takes, as the help and errors list them. */
export const MODEL_NAMES = [
  'toy-resnet',
  'resnet-N (N = 6n+2: 8, 14, 20, 32, 44, 56, 110)',
  'plain-N (resnet-N without skips)',
  'densenet (DenseNet-BC, L=100, k=12)',
  'mlp-N, residual-mlp-N (N = 2k+2 dense layers, width 32)',
] as const;

/** Width of the hidden layers of the `mlp-N` and `residual-mlp-N` models. */
export const MLP_WIDTH = 32;

/** What a model is built for: the images of the data set it trains on. */
export interface ModelShape {
  readonly inputShape: number[];
  readonly classes: number;
}

/**
 * Builds the model `name` for images of `inputShape` and `classes` classes,
 * with seeded initial weights. Zoo models come from `tfjs-skip`; the MLP
 * twins are this package's. An unknown name, a bad depth, or images the
 * model cannot take are a one-line `CliError`.
 */
export function buildModel(name: string, shape: ModelShape, seed: number): tf.Sequential {
  const make = modelMaker(name, shape);
  try {
    return withSeededRandom(seed, make);
  } catch (e) {
    const size = shape.inputShape.join('x');
    throw new CliError(`model ${name} cannot take ${size} images (${firstLine(e)})`, 'pick a model for this image size, e.g. --model resnet-8, or other --data');
  }
}

function modelMaker(name: string, { inputShape, classes }: ModelShape): () => tf.Sequential {
  const args = { inputShape, classes };
  if (name === 'toy-resnet') return () => toyResNet(args);
  if (name === 'densenet') return () => denseNet({ ...args, depth: 100, growthRate: 12, bottleneck: true, compression: 0.5 });
  const [, kind, digits] = /^(resnet|plain|mlp|residual-mlp)-(\d+)$/.exec(name) ?? [];
  const depth = Number(digits);
  if ((kind === 'resnet' || kind === 'plain') && (depth - 2) % 6 === 0 && depth >= 8) {
    return () => (kind === 'resnet' ? resnet({ ...args, depth }) : plainNet({ ...args, depth }));
  }
  if ((kind === 'mlp' || kind === 'residual-mlp') && depth % 2 === 0 && depth >= 4) {
    return () => mlpTwin({ ...args, depth, width: MLP_WIDTH }, kind === 'residual-mlp');
  }
  const why = kind ? `${kind}-N needs N = ${kind.endsWith('mlp') ? '2k+2 >= 4' : '6n+2 >= 8'}` : 'unknown model';
  throw new CliError(`${why}: ${JSON.stringify(name)}`, `pass --model with one of: ${MODEL_NAMES.join('; ')}`);
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
}
