/**
 * TF.js's side of `float64_gap.py --save DIR`: loads each DIR/NAME.keras, predicts its x, and prints one
 * JSON line per model with TF.js's and Keras's float32 distance from Keras's float64 predictions, measured
 * two ways: as keras_apps.test.ts measures (`|y - y64| / max(1e-2, |y64|)`, which the outputs near 0 of
 * large features decide) and as the worst absolute difference over the largest |y64| (the output's scale).
 * Where TF.js is as close to float64 as Keras's float32 is, a gap between the two float32 predictions is
 * rounding, whichever way it is measured.
 *
 * Usage: `npx tsx packages/tfjs-skip/test/keras/float64_gap.ts DIR NAME ...` (NAME as `ResNet50-notop`).
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { disposeModel } from '../../src/io/build_model.js';
import { loadModel } from '../../src/io/load_model.js';
import { kerasFile } from '../../src/node/keras_file.js';
import { worstOfScale, worstRelative } from './differences.js';

interface Saved {
  xShape: number[];
  x: number[];
  y32: number[];
  y64: number[];
}

const [dir, ...names] = process.argv.slice(2);
if (dir === undefined || names.length === 0) {
  console.error(
    'usage: npx tsx packages/tfjs-skip/test/keras/float64_gap.ts DIR NAME ... (after float64_gap.py --save DIR)',
  );
  process.exit(2);
}
for (const name of names) {
  const saved = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as Saved;
  const model = await loadModel(kerasFile(join(dir, `${name}.keras`)));
  const y = tf.tidy(() => (model.predict(tf.tensor(saved.x, saved.xShape)) as tf.Tensor).dataSync());
  disposeModel(model);
  console.log(
    JSON.stringify({
      name,
      backend: tf.getBackend(),
      tfjsVsFloat64: { predict: worstRelative(y, saved.y64), predictScale: worstOfScale(y, saved.y64) },
      kerasFloat32VsFloat64: {
        predict: worstRelative(saved.y32, saved.y64),
        predictScale: worstOfScale(saved.y32, saved.y64),
      },
      tfjsVsKerasFloat32: { predict: worstRelative(y, saved.y32), predictScale: worstOfScale(y, saved.y32) },
    }),
  );
}
