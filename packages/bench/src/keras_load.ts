// npm run bench:keras-load -w tfjs-skip-bench [-- ARCH ...]: loading big keras.applications files
// (default VGG16 and InceptionResNetV2, weights=None, default input, with top) with tfjs-skip's kerasFile
// and with Keras's load_model, each in a fresh process: seconds, the peak RSS, the floor (the process's RSS
// before the load: Node with TF.js and tfjs-skip imported, or Python with TensorFlow and Keras) and the peak
// above it, each peak also as a multiple of the weights' bytes (float32 count x 4).
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const archs = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['VGG16', 'InceptionResNetV2'];
const env = { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3', CUDA_VISIBLE_DEVICES: '' };

interface Load {
  seconds: number;
  peakRss: number;
  rssBefore: number;
  params: number;
  /** tfjs-skip only: the tensors alive after the load, and the model's weights. */
  tensors?: number;
  weights?: number;
}

/** The repository's Python (`node scripts/python-env.mjs python`, as the bench's peers find it). */
function venvPython(): string {
  const pythonEnv = fileURLToPath(new URL('../../../scripts/python-env.mjs', import.meta.url));
  return execFileSync(process.execPath, [pythonEnv, 'python'], { encoding: 'utf8' }).trim();
}

function json<T>(out: string): T {
  return JSON.parse(out.trim().split('\n').at(-1) ?? '') as T;
}
const python = (...args: string[]) =>
  execFileSync(venvPython(), [join(here, '../python/keras_load.py'), ...args], { encoding: 'utf8', env });

const dir = mkdtempSync(join(tmpdir(), 'keras-load-'));
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
for (const arch of archs) {
  const file = join(dir, `${arch}.keras`);
  const made = json<{ params: number; bytes: number }>(python('make', arch, file));
  const weights = made.params * 4;
  const ours = json<Load>(
    execFileSync(process.execPath, ['--import', 'tsx', join(here, 'keras_load_child.ts'), file], {
      encoding: 'utf8',
      env,
    }),
  );
  if (ours.tensors !== ours.weights)
    throw new Error(`loading ${arch} left ${ours.tensors} tensors for the model's ${ours.weights} weights`);
  const keras = json<Load>(python('load', file));
  for (const [who, r] of [
    ['tfjs-skip kerasFile', ours],
    ['Keras load_model', keras],
  ] as const) {
    if (r.params !== made.params) throw new Error(`${who} loaded ${r.params} parameters of ${arch}'s ${made.params}`);
    const peak = r.peakRss - r.rssBefore;
    process.stdout.write(
      `${arch} (${made.params.toLocaleString('en-US')} parameters, ${mib(weights)} of weights) ${who}: ` +
        `${r.seconds.toFixed(2)} s, peak RSS ${mib(r.peakRss)} (${(r.peakRss / weights).toFixed(2)}x the weights), ` +
        `floor ${mib(r.rssBefore)}, +${mib(peak)} above it (${(peak / weights).toFixed(2)}x the weights)\n`,
    );
  }
}
