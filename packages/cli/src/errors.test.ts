import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { syntheticDataset, writeIdxFolder } from 'tfjs-skip-data/node';
import { runCli, tempDir, type CliRun } from './testing/run-cli.js';

/** A refusal: exit code 1, exactly one line on stderr, no stack trace, nothing on stdout but the backend line. */
function expectOneLineError(run: CliRun, pattern: RegExp): void {
  expect(run.code).toBe(1);
  const lines = run.stderr.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^tfjs-skip: /);
  expect(lines[0]).toMatch(pattern);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

const FAST = ['--epochs', '1', '--examples', '100', '--backend', 'cpu'];

describe('one-line errors, non-zero exit, no partial output', () => {
  it('unknown model: lists the known ones', async () => {
    const out = join(tempDir(), 'out');
    const run = await runCli(['train', '--model', 'resnet-18', ...FAST, '--out', out]);
    expectOneLineError(run, /"resnet-18": resnet depth must be 6n \+ 2 .*; pass --model with one of: densenet-bc-N .*; toy-resnet; unet-N/);
    expect(existsSync(out)).toBe(false);
    expectOneLineError(await runCli(['summary', '--model', 'vgg']), /unknown model: "vgg"; pass --model with one of: densenet-bc-N/);
  });

  it('missing data: names the path and what to pass', async () => {
    const out = join(tempDir(), 'out');
    const run = await runCli(['train', ...FAST, '--data', '/nonexistent/fashion', '--out', out]);
    expectOneLineError(run, /\/nonexistent\/fashion: is neither a data set name nor an existing folder; pass 'sample'/);
    expect(existsSync(out)).toBe(false);
  });

  it('unreadable data file: names the file', async () => {
    const dir = join(tempDir(), 'fashion-broken');
    await writeIdxFolder(dir, { train: syntheticDataset({ count: 20, height: 28, width: 28 }), test: syntheticDataset({ count: 10, height: 28, width: 28 }) });
    writeFileSync(join(dir, 'train-images-idx3-ubyte'), Buffer.from([0, 0, 8, 3, 0, 0, 0, 20, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3]));
    const out = join(tempDir(), 'out');
    const run = await runCli(['train', ...FAST, '--data', dir, '--out', out]);
    expectOneLineError(run, /train-images-idx3-ubyte/);
    expect(existsSync(out)).toBe(false);
  });

  it('wrong image size for the model: says which size and what to do', async () => {
    const dir = join(tempDir(), 'tiny-images');
    await writeIdxFolder(dir, { train: syntheticDataset({ count: 20, height: 8, width: 8 }), test: syntheticDataset({ count: 10, height: 8, width: 8 }) });
    const out = join(tempDir(), 'out');
    const run = await runCli(['train', '--model', 'toy-resnet', '--epochs', '1', '--backend', 'cpu', '--data', dir, '--out', out]);
    expectOneLineError(run, /model toy-resnet cannot take 8x8x1 images \(.*\); pick a model for this image size/);
    expect(existsSync(out)).toBe(false);
  });

  it('resuming on data of another size: says which data the run used', async () => {
    const out = join(tempDir(), 'run');
    expect((await runCli(['train', '--model', 'mlp-4', ...FAST, '--out', out])).code).toBe(0);
    const dir = join(tempDir(), 'small-images');
    await writeIdxFolder(dir, { train: syntheticDataset({ count: 200, height: 8, width: 8 }), test: syntheticDataset({ count: 10, height: 8, width: 8 }) });
    const run = await runCli(['train', '--resume', '--epochs', '2', '--backend', 'cpu', '--data', dir, '--out', out]);
    expectOneLineError(run, /takes 28x28x1 images in 10 classes, but --data .* has 8x8x1 images in 10; resume with --data sample/);
  });

  it('output folder not writable, or a file', async () => {
    expectOneLineError(await runCli(['train', ...FAST, '--out', '/proc/tfjs-skip-out']), /--out "\/proc\/tfjs-skip-out" is not writable/);
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, 'x');
    expectOneLineError(await runCli(['train', ...FAST, '--out', file]), /is a file, not a folder/);
    expectOneLineError(await runCli(['compare', ...FAST, '--out', join(file, 'sub')]), /lies below .*a-file, which is a file/);
  });

  it('--out with ".." is refused', async () => {
    expectOneLineError(await runCli(['train', ...FAST, '--out', 'runs/../../etc']), /--out "runs\/..\/..\/etc" contains a "\.\." segment/);
  });

  it('an existing run is not overwritten without --resume, and --resume needs a run', async () => {
    const out = join(tempDir(), 'run');
    mkdirSync(out);
    writeFileSync(join(out, 'model.json'), '{}');
    expectOneLineError(await runCli(['train', ...FAST, '--out', out]), /model\.json already exists; pass --resume to continue that run, or choose another --out/);
    expectOneLineError(await runCli(['train', ...FAST, '--resume', '--out', out]), /--resume: .*model\.json holds a model but no tfjs-skip training state|cannot be loaded/);
    expectOneLineError(await runCli(['train', ...FAST, '--resume', '--out', join(tempDir(), 'none')]), /--resume: .*model\.json does not exist/);
  });

  it('bad numbers and unknown options are usage errors', async () => {
    const run = await runCli(['train', '--epochs', 'two']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/option '--epochs <n>' argument 'two' is invalid\. expected a whole number >= 1, received "two"/);
    expect((await runCli(['train', '--backend', 'gpu'])).stderr).toMatch(/Allowed choices are cpu, wasm, tensorflow/);
  });
});
