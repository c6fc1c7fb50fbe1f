/**
 * Loads every case of the hostile corpus with tfjs's own
 * `tf.loadLayersModel` and with tfjs-skip's `loadModelFromDir`, each case in
 * its own process (tfjs can hang or overflow the stack), and prints what
 * each did and how many tensors it left behind:
 *
 *   node --import tsx packages/tfjs-skip/test/hostile/measure_tfjs.ts
 *
 * tfjs is given the case's model.json and its `weights.bin` in memory (so
 * the measurement itself never follows a hostile path); tfjs-skip is given
 * the folder.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { io } from '@tensorflow/tfjs';
import type { LoadModelOptions } from '../../src/node/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const cases = join(here, 'cases');
const TIMEOUT_MS = 10_000;

interface Outcome {
  result: string;
  leaked: number;
}

/** Measures tfjs-skip first and writes it to `out`, then adds tfjs (which may hang). */
async function measure(name: string, out: string): Promise<void> {
  const tf = await import('@tensorflow/tfjs');
  await tf.setBackend('cpu');
  const { loadModelFromDir, ModelFileError } = await import('../../src/node/index.js');
  await import('../../src/index.js');
  const root = mkdtempSync(join(tmpdir(), 'tfjs-skip-measure-'));
  const dir = join(root, 'model');
  cpSync(join(cases, name), dir, { recursive: true, verbatimSymlinks: true });
  // The canaries the corpus test places beside the folder: valid, so following them would load.
  writeFileSync(
    join(root, 'canary.bin'),
    Buffer.from(new Float32Array(Array.from({ length: 30 }, (_, i) => (i % 7) / 10 - 0.3)).buffer),
  );
  writeFileSync(join(root, 'canary.json'), readFileSync(join(here, 'base-model.json')));
  const { options } = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as { options: LoadModelOptions };

  const run = async (load: () => Promise<{ dispose(): void }>, describe: (e: unknown) => string): Promise<Outcome> => {
    const before = tf.memory().numTensors;
    try {
      const model = await load();
      const result = `loaded (${tf.memory().numTensors - before} tensors)`;
      model.dispose();
      return { result, leaked: tf.memory().numTensors - before };
    } catch (e) {
      return { result: describe(e), leaked: tf.memory().numTensors - before };
    }
  };
  const short = (e: unknown) =>
    e instanceof Error ? `${e.constructor.name}: ${e.message.split('\n')[0].slice(0, 70)}` : String(e);

  const ours = await run(
    () => loadModelFromDir(dir, options),
    (e) => (e instanceof ModelFileError ? `refused: ${e.problem}` : short(e)),
  );
  writeFileSync(out, JSON.stringify({ ours }));
  const tfjs = () =>
    run(async () => {
      const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as Partial<io.ModelJSON>;
      const weights = existsSync(join(dir, 'weights.bin')) ? readFileSync(join(dir, 'weights.bin')) : Buffer.alloc(0);
      const specs = (json.weightsManifest ?? []).flatMap((g) => g.weights);
      const data = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength);
      const withWeights = specs.length > 0 ? { weightSpecs: specs, weightData: data } : {};
      return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, ...withWeights }));
    }, short);
  writeFileSync(out, JSON.stringify({ ours, tfjs: await tfjs() }));
}

if (process.argv[2] === '--case') {
  const name = process.argv[3];
  const out = process.argv[4];
  await measure(name, out);
} else {
  const rows: string[] = [
    '| case | tf.loadLayersModel | tensors left | loadModelFromDir | tensors left |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const name of readdirSync(cases).sort()) {
    const out = join(mkdtempSync(join(tmpdir(), 'tfjs-skip-measure-')), 'out.json');
    const child = spawnSync(
      process.execPath,
      ['--stack-size=984', '--import', 'tsx', fileURLToPath(import.meta.url), '--case', name, out],
      { timeout: TIMEOUT_MS, encoding: 'utf8' },
    );
    const died =
      child.signal === 'SIGTERM'
        ? `hung (killed after ${TIMEOUT_MS / 1000} s)`
        : `process died: ${child.signal ?? child.status}`;
    const { tfjs, ours } = (existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : {}) as {
      tfjs?: Outcome;
      ours?: Outcome;
    };
    const cells = (o: Outcome | undefined) =>
      o == null ? `${died} | ?` : `${o.result.replace(/\|/g, '\\|')} | ${o.leaked}`;
    rows.push(`| ${name} | ${cells(tfjs)} | ${cells(ours)} |`);
  }
  console.log(rows.join('\n'));
}
