import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { LINKED_BIN, ROOT, runCli } from '../testing/run_cli.js';

describe('tfjs-skip summary', () => {
  it('prints the toy ResNet of the Keras functional-API guide: 223,242 parameters', async () => {
    const run = await runCli(['summary', '--model', 'toy-resnet']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('Total params: 223,242');
    expect(run.stdout).toContain('Trainable params: 223,242');
    expect(run.stdout).not.toContain('main:');
  });

  it('runs through bin/tfjs-skip.js, the file npm links as `tfjs-skip`', () => {
    const run = spawnSync(process.execPath, [LINKED_BIN, 'summary', '--model', 'toy-resnet'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Total params: 223,242');
  });

  it('writes all of a long table into a pipe before exiting (DenseNet-BC-100 expanded: 40 KB), always', async () => {
    // Exiting as soon as the command returned cut such tables short in about one run of three.
    const runs = await Promise.all(
      [1, 2, 3, 4, 5, 6].map(() => runCli(['summary', '--model', 'densenet-bc-100', '--expand'])),
    );
    for (const run of runs) {
      expect(run.code).toBe(0);
      expect(run.stdout.length).toBeGreaterThan(40_000);
      expect(run.stdout).toMatch(/Non-trainable params: [\d,]+\n_+\n$/);
    }
  });

  it('lists the layers inside each SkipConnection with --expand', async () => {
    const run = await runCli(['summary', '--model', 'resnet-20', '--expand']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ +main: .*\(Conv2D\)/m);
    expect(run.stdout).toMatch(/Total params: 27\d,\d{3}/); // He et al. 2016, Table 6: 0.27M
  });

  it('builds models for the image shape asked for', async () => {
    const run = await runCli(['summary', '--model', 'mlp-4', '--input-shape', '28x28x1']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Total params: 27,562'); // 784*32+32 + 2*(32*32+32) + 32*10+10
  });

  it('prints its version', async () => {
    const run = await runCli(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it.each(['summary', 'train', 'compare'])('has --help for %s', async (command) => {
    const run = await runCli([command, '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Usage: tfjs-skip ${command} \\[options\\]`));
    expect(run.stdout).toContain('-h, --help');
  });
});
