import type * as tf from '@tensorflow/tfjs';
import { loadModel, summary } from 'tfjs-skip';
import { isModelPath, modelHandler } from '../io/model_files.js';
import { buildNamedModel } from '../models/registry.js';

/** Options of `tfjs-skip summary`. */
export interface SummaryOptions {
  model: string;
  expand?: boolean;
  inputShape?: number[];
  classes?: number;
}

/**
 * `tfjs-skip summary`: prints the Keras-style table of a zoo model, by
 * default for CIFAR-10's 32x32x3 images and 10 classes (the zoo's defaults,
 * so `toy-resnet` shows the Keras functional-API guide's 223,242
 * parameters), or of a model file: a Keras `.keras` / `.h5` file or a TF.js
 * `model.json` (read by the safe loader).
 */
export async function summaryCommand(o: SummaryOptions): Promise<number> {
  const model: tf.LayersModel = isModelPath(o.model)
    ? await loadModel(modelHandler(o.model))
    : buildNamedModel(o.model, { inputShape: o.inputShape ?? [32, 32, 3], classes: o.classes ?? 10 }, 1);
  summary(model, { expandNested: o.expand ?? false, printFn: (line) => void process.stdout.write(`${line}\n`) });
  model.dispose();
  return 0;
}
