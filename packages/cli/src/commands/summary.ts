import type * as tf from '@tensorflow/tfjs';
import { summary } from 'tfjs-skip';
import { isModelPath, loadModelFile } from '../io/model_files.js';
import { buildNamedModel } from '../models/registry.js';

/** Options of `tfjs-skip summary`. */
export interface SummaryOptions {
  model: string;
  expand?: boolean;
  inputShape?: number[];
  classes?: number;
  /** For a model file: the most parameters it may hold (the safe loader's maxParameters). */
  maxParameters?: number;
}

/**
 * `tfjs-skip summary`: prints the Keras-style table of a zoo model, by
 * default for CIFAR-10's 32x32x3 images and 10 classes (the zoo's defaults,
 * so `toy-resnet` shows the Keras functional-API guide's 223,242
 * parameters), or of a model file: a Keras `.keras` / `.h5` file or a TF.js
 * `model.json` (read by the safe loader).
 */
export async function summaryCommand(options: SummaryOptions): Promise<number> {
  const model: tf.LayersModel = isModelPath(options.model)
    ? await loadModelFile(options.model, { maxParameters: options.maxParameters })
    : buildNamedModel(
        options.model,
        { inputShape: options.inputShape ?? [32, 32, 3], classes: options.classes ?? 10 },
        1,
      );
  summary(model, { expandNested: options.expand ?? false, printFn: (line) => void process.stdout.write(`${line}\n`) });
  model.dispose();
  return 0;
}
