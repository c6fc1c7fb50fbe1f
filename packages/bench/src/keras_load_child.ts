// One load in a fresh process: `node --import tsx keras_load_child.ts FILE.keras`; prints one JSON line
// (seconds, peak RSS, the RSS before loading with tfjs-skip imported, the parameter count, the tensors alive
// and the model's weights: equal when the load leaked nothing).
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { loadModel } from 'tfjs-skip';
import { kerasFile } from 'tfjs-skip/node';

const file = process.argv[2] ?? '';
await tf.setBackend('cpu');
const rssNow = () => Number(readFileSync('/proc/self/statm', 'utf8').split(' ')[1]) * 4096;
const before = rssNow();
const start = performance.now();
const model = await loadModel(kerasFile(file, { maxParameters: 200e6 }));
const seconds = (performance.now() - start) / 1000;
const peakRss = process.resourceUsage().maxRSS * 1024;
const load = {
  seconds,
  peakRss,
  rssBefore: before,
  params: model.countParams(),
  tensors: tf.memory().numTensors,
  weights: model.weights.length,
};
process.stdout.write(`${JSON.stringify(load)}\n`);
