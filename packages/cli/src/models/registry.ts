import type * as tf from '@tensorflow/tfjs';
import { buildZooModel, parseZooName, ZOO_MODELS, type ZooModel } from 'tfjs-skip';
import { CliError } from '../errors.js';
import { withSeededRandom } from './seeded.js';

/** How `--model` names a zoo model: its id, or `id-N` with what N sets. */
function nameHelp(model: ZooModel): string {
  return model.sizedBy === undefined ? model.id : `${model.id}-N (N: ${model.options[model.sizedBy].description})`;
}

/** The model names `--model` takes, as the help and errors list them: the zoo's registry. */
export const MODEL_NAMES: readonly string[] = ZOO_MODELS.map(nameHelp);

/** What a model is built for: the images of the data set it trains on. */
export interface ModelShape {
  readonly inputShape: number[];
  readonly classes: number;
}

/**
 * The zoo model `name` (`toy-resnet`, `resnet-20`, ...; see the registry)
 * and the options the name sets; an unknown name, or a size that breaks the
 * model's rule, is a one-line `CliError` listing the names there are.
 */
export function resolveModel(name: string): { model: ZooModel; args: Record<string, number> } {
  const parsed = parseZooName(name);
  const remedy = `pass --model with one of: ${MODEL_NAMES.join('; ')}`;
  if (parsed === null) throw new CliError(`unknown model: ${JSON.stringify(name)}`, remedy);
  for (const [option, value] of Object.entries(parsed.args)) {
    const problem = parsed.model.options[option].check?.(value) ?? null;
    if (problem !== null) throw new CliError(`${JSON.stringify(name)}: ${parsed.model.id} ${problem}`, remedy);
  }
  return parsed;
}

/**
 * Builds the model `name` for images of `inputShape` and `classes` classes,
 * with seeded initial weights. Images the model cannot take are a one-line
 * `CliError` too.
 */
export function buildNamedModel(name: string, shape: ModelShape, seed: number): tf.Sequential {
  const { model, args } = resolveModel(name);
  try {
    return withSeededRandom(seed, () => buildZooModel(model, { ...args, ...shape }));
  } catch (error) {
    const size = shape.inputShape.join('x');
    throw new CliError(
      `model ${name} cannot take ${size} images (${firstLine(error)})`,
      'pick a model for this image size, e.g. --model resnet-8, or other --data',
    );
  }
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
