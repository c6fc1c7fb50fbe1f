import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { resNet } from 'tfjs-skip';
import { fileSystem } from 'tfjs-skip/node';
import { runCli, tempDir } from '../testing/run_cli.js';

/** A small zoo model saved as a TF.js folder, with its predictions on a fixed input. */
async function savedResNet(dir: string): Promise<{ input: tf.Tensor; expected: Float32Array }> {
  const model = resNet({ depth: 8, inputShape: [8, 8, 1], classes: 3 });
  await model.save(fileSystem(dir));
  const input = tf.linspace(0, 1, 2 * 8 * 8).reshape([2, 8, 8, 1]);
  const expected = (model.predict(input) as tf.Tensor).dataSync() as Float32Array;
  model.dispose();
  return { input, expected };
}

async function predictions(dir: string, input: tf.Tensor): Promise<Float32Array> {
  const model = await tf.loadLayersModel(fileSystem(dir));
  const out = (model.predict(input) as tf.Tensor).dataSync() as Float32Array;
  model.dispose();
  return out;
}

describe('tfjs-skip convert', () => {
  it.each(['keras', 'h5'])('TF.js folder -> .%s -> TF.js folder keeps the predictions exactly', async (ext) => {
    const dir = tempDir();
    const { input, expected } = await savedResNet(join(dir, 'tfjs'));
    const keras = join(dir, `model.${ext}`);

    const there = await runCli(['convert', join(dir, 'tfjs'), keras]);
    expect(there.stderr).toBe('');
    expect(there.code).toBe(0);
    expect(there.stdout).toMatch(new RegExp(`-> .*model\\.${ext} \\(${ext}\\)`));
    const back = await runCli(['convert', keras, join(dir, 'back')]);
    expect(back.code).toBe(0);

    expect(await predictions(join(dir, 'back'), input)).toEqual(expected);
    input.dispose();
  });

  it('summarises a Keras file with --model FILE.keras', async () => {
    const dir = tempDir();
    await savedResNet(join(dir, 'tfjs')).then(({ input }) => input.dispose());
    await runCli(['convert', join(dir, 'tfjs'), join(dir, 'm.keras')]);
    const run = await runCli(['summary', '--model', join(dir, 'm.keras')]);
    expect(run.code).toBe(0);
    const tfjs = await tf.loadLayersModel(fileSystem(join(dir, 'tfjs')));
    expect(run.stdout).toContain(`Total params: ${tfjs.countParams().toLocaleString('en-US')}`);
    tfjs.dispose();
  });

  it('--max-parameters: a file over it is refused, saying how to raise it; raised, it loads', async () => {
    const dir = tempDir();
    await savedResNet(join(dir, 'tfjs')).then(({ input }) => input.dispose());
    const keras = join(dir, 'm.keras');
    await runCli(['convert', join(dir, 'tfjs'), keras]);
    const tfjs = await tf.loadLayersModel(fileSystem(join(dir, 'tfjs')));
    const params = tfjs.countParams();
    tfjs.dispose();
    const below = String(params - 1);
    for (const args of [
      ['summary', '--model', keras, '--max-parameters', below],
      ['convert', keras, join(dir, 'm.h5'), '--max-parameters', below],
      [
        'train',
        '--model',
        keras,
        '--max-parameters',
        below,
        '--epochs',
        '1',
        '--examples',
        '20',
        '--out',
        join(dir, 'run'),
      ],
    ]) {
      const run = await runCli(args);
      expect(run.code, args.join(' ')).toBe(1);
      expect(run.stderr, args.join(' ')).toContain(below);
      expect(run.stderr, args.join(' ')).toContain('--max-parameters');
    }
    expect(existsSync(join(dir, 'm.h5'))).toBe(false);
    const summary = await runCli(['summary', '--model', keras, '--max-parameters', String(params)]);
    expect(summary.code).toBe(0);
    expect(summary.stdout).toContain(`Total params: ${params.toLocaleString('en-US')}`);
    const converted = await runCli(['convert', keras, join(dir, 'm.h5'), '--max-parameters', String(params)]);
    expect(converted.code, converted.stderr).toBe(0);
  });

  it('refuses a file that is not a Keras model in one line, writing nothing', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.keras'), 'PK\u0003\u0004 this is not a zip archive');
    const run = await runCli(['convert', join(dir, 'bad.keras'), join(dir, 'out')]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('bad.keras');
    expect(existsSync(join(dir, 'out'))).toBe(false);
    expect(readdirSync(dir)).toEqual(['bad.keras']);
  });

  it('refuses two TF.js folders: there is nothing to convert', async () => {
    const run = await runCli(['convert', 'a', 'b']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/two TF.js models.*name a \.keras, \.h5 or \.onnx file as the output/);
  });

  it('refuses a file it cannot read, naming the formats it reads, writing nothing', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'model.pt'), 'not a model');
    const cases: [string, RegExp][] = [
      ['model.pt', /cannot read ".*model\.pt": "model\.pt" is not a model file convert reads/],
      ['missing', /cannot read ".*missing": there is no such file or folder/],
      ['model.onnx', /cannot read ".*model\.onnx": convert writes ONNX files but does not read them/],
    ];
    for (const [name, problem] of cases) {
      const run = await runCli(['convert', join(dir, name), join(dir, 'out.onnx')]);
      expect(run.code).toBe(1);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(problem);
      expect(run.stderr).toContain(
        'give a Keras file (.keras, or legacy .h5 / .hdf5) or a TF.js model ' +
          '(a folder holding model.json, or the model.json file)',
      );
    }
    expect(readdirSync(dir)).toEqual(['model.pt']);
  });
});

/** `session`'s one output on `input` (float32, in the graph's layout). */
async function runOnnxFile(path: string, input: tf.Tensor): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(readFileSync(path));
  try {
    const feed = new ort.Tensor('float32', input.dataSync() as Float32Array, input.shape);
    const results = await session.run({ [session.inputNames[0]!]: feed });
    return results[session.outputNames[0]!]!.data as Float32Array;
  } finally {
    await session.release();
  }
}

/** |onnx - tfjs| <= 1e-4 * max(1e-2, |tfjs|), everywhere. */
function expectClose(got: Float32Array, expected: Float32Array): void {
  expect(got.length).toBe(expected.length);
  const worst = Math.max(...expected.map((e, i) => Math.abs(got[i]! - e) / Math.max(1e-2, Math.abs(e))));
  expect(worst).toBeLessThanOrEqual(1e-4);
}

describe('tfjs-skip convert MODEL out.onnx', () => {
  it('`npm start` then convert out/resnet-8 resnet-8.onnx: ONNX Runtime predicts what TF.js predicts', async () => {
    // What `npm start` runs (tfjs-skip train, ResNet-8 with its probabilities head), on a short run.
    const dir = tempDir();
    const out = join(dir, 'resnet-8');
    const train = await runCli(['train', '--examples', '200', '--epochs', '1', '--out', out]);
    expect(train.code).toBe(0);
    const onnx = join(dir, 'resnet-8.onnx');
    const run = await runCli(['convert', out, onnx]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^converted .*resnet-8 \(tfjs, [\d,]+ params\) -> .*\.onnx \(onnx, opset 17, channelsLast, [\d,]+ bytes\)\n$/,
    );

    const model = await tf.loadLayersModel(fileSystem(out));
    expect(model.layers.at(-1)!.name).toBe('probabilities');
    const input = tf.randomUniform([4, 28, 28, 1], 0, 1, 'float32', 5);
    const expected = (model.predict(input) as tf.Tensor).dataSync() as Float32Array;
    const got = await runOnnxFile(onnx, input);
    expectClose(got, expected);
    for (let row = 0; row < 4; row++)
      expect(got.slice(row * 10, row * 10 + 10).reduce((a, b) => a + b)).toBeCloseTo(1, 5);
    model.dispose();
    input.dispose();
  });

  it.each(['keras', 'h5'])('converts a .%s file to ONNX, NCHW with --layout channelsFirst', async (ext) => {
    const dir = tempDir();
    const { input, expected } = await savedResNet(join(dir, 'tfjs'));
    const keras = join(dir, `model.${ext}`);
    expect((await runCli(['convert', join(dir, 'tfjs'), keras])).code).toBe(0);
    const onnx = join(dir, 'model.onnx');
    const run = await runCli(['convert', keras, onnx, '--layout', 'channelsFirst']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`(${ext}, `);
    expect(run.stdout).toContain('(onnx, opset 17, channelsFirst, ');
    const nchw = tf.transpose(input, [0, 3, 1, 2]);
    expectClose(await runOnnxFile(onnx, nchw), expected);
    tf.dispose([input, nchw]);
  });

  it('refuses a model with a layer the export has no handler for, in one line naming it, writing nothing', async () => {
    const dir = tempDir();
    const model = tf.sequential({
      layers: [tf.layers.lstm({ units: 2, inputShape: [3, 4], name: 'memory' }), tf.layers.dense({ units: 2 })],
    });
    await model.save(fileSystem(join(dir, 'tfjs')));
    const run = await runCli(['convert', join(dir, 'tfjs'), join(dir, 'model.onnx')]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/cannot export layer "memory" \(LSTM\) at .*\/memory to ONNX: .*no handler for LSTM/);
    expect(existsSync(join(dir, 'model.onnx'))).toBe(false);
  });

  it('refuses --layout for an output that is not ONNX', async () => {
    const run = await runCli(['convert', 'a.keras', 'b', '--layout', 'channelsFirst']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/--layout is for an ONNX output, but the output "b" is tfjs; drop --layout/);
  });
});
