import { ConfigError } from '../errors.js';
import { formatShape } from '../shapes.js';
import { positiveInteger } from '../blocks/checks.js';

/** What every zoo model takes. */
export interface ZooArgs {
  /** Input shape without the batch axis (default `[32, 32, 3]`, CIFAR-10). */
  inputShape?: number[];
  /** Number of classes of the logits the model outputs (default 10). */
  classes?: number;
}

/** `inputShape` and `classes` with defaults, checked; `rank` is required when given. */
export function zooDefaults(args: ZooArgs, model: string, rank?: number): { inputShape: number[]; classes: number } {
  const inputShape = args.inputShape ?? [32, 32, 3];
  if (
    !Array.isArray(inputShape) ||
    inputShape.some((d) => !Number.isInteger(d) || d < 1) ||
    (rank != null && inputShape.length !== rank)
  ) {
    const expected = rank === 3 ? 'an image shape [height, width, channels]' : 'positive integer dimensions';
    throw new ConfigError(
      `${model} inputShape must be ${expected}, but received ` +
        `${Array.isArray(inputShape) ? formatShape(inputShape) : JSON.stringify(inputShape)}`,
    );
  }
  return { inputShape, classes: positiveInteger(args.classes ?? 10, `${model} classes`) };
}
