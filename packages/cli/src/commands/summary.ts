import { summary } from 'tfjs-skip';
import { buildModel } from '../models/registry.js';

/** Options of `tfjs-skip summary`. */
export interface SummaryOptions {
  model: string;
  expand?: boolean;
  inputShape?: number[];
  classes?: number;
}

/**
 * `tfjs-skip summary`: prints the Keras-style table of a model, by default
 * for CIFAR-10's 32x32x3 images and 10 classes (the zoo's defaults, so
 * `toy-resnet` shows the seed document's 223,242 parameters).
 */
export async function summaryCommand(o: SummaryOptions): Promise<number> {
  const model = buildModel(o.model, { inputShape: o.inputShape ?? [32, 32, 3], classes: o.classes ?? 10 }, 1);
  summary(model, { expandNested: o.expand ?? false, printFn: (line) => void process.stdout.write(`${line}\n`) });
  model.dispose();
  return 0;
}
