/**
 * Child-process entry of the bench: writes zoo models as Keras 3 `.keras`
 * files with tfjs-skip's own bridge (`kerasFile`), for the Keras peer to load
 * with `keras.saving.load_model`, so that both frameworks run the same
 * architecture. Prints `BENCH_RESULT {"file": params, ...}`.
 *
 *   node --import tsx src/export_keras.ts '[{"model":"toy-resnet","file":"/tmp/x/toy-resnet.keras"}]'
 */
import * as tf from '@tensorflow/tfjs';
import { kerasFile } from 'tfjs-skip/node';
import { buildZooModel, parseZooName } from 'tfjs-skip/zoo';
import { RESULT_PREFIX } from './cases.js';

/** One model to write: a zoo name, the file, and (the main job's) image shape, classes and a softmax on top. */
export interface KerasExport {
  model: string;
  file: string;
  inputShape?: number[];
  classes?: number;
  /** Add `tf.layers.softmax({name: 'probabilities'})`, as `tfjs-skip train` does before training. */
  softmax?: boolean;
}

async function write(e: KerasExport): Promise<number> {
  const parsed = parseZooName(e.model);
  if (parsed == null) throw new Error(`export_keras: ${JSON.stringify(e.model)} is not a zoo model name.`);
  const shape = e.inputShape != null ? { inputShape: e.inputShape, classes: e.classes ?? 10 } : {};
  const model = buildZooModel(parsed.model, { ...parsed.args, ...shape }) as tf.Sequential;
  if (e.softmax === true) model.add(tf.layers.softmax({ name: 'probabilities' }));
  await model.save(kerasFile(e.file));
  const params = model.countParams();
  model.dispose();
  return params;
}

const exports = JSON.parse(process.argv[2] ?? 'null') as KerasExport[] | null;
if (!Array.isArray(exports))
  throw new Error(`export_keras.ts takes a JSON list of exports; received ${process.argv[2]}`);
await tf.setBackend('cpu');
const params: Record<string, number> = {};
for (const e of exports) params[e.file] = await write(e);
process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(params)}\n`);
