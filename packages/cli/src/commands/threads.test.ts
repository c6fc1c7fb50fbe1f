import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../testing/run_cli.js';
import type { CompareMetrics } from './compare_metrics.js';
import type { TrainMetrics } from './train_metrics.js';

const TINY = ['--examples', '200', '--epochs', '1', '--batch-size', '32', '--backend', 'wasm'];

describe('--threads', () => {
  it('trains on the wasm backend with the threads asked for, says so, and records them', async () => {
    const out = join(tempDir(), 'run');
    const run = await runCli(['train', '--model', 'resnet-8', ...TINY, '--threads', '2', '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^backend: wasm \(SIMD, 2 threads\), training kernels from tfjs-wasm-train$/m);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as TrainMetrics;
    expect(metrics).toMatchObject({ backend: 'wasm', threads: 2 });
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('on wasm (2 threads)');
  });

  it('runs compare on one thread when asked', async () => {
    const out = join(tempDir(), 'compare');
    const run = await runCli(['compare', '--family', 'mlp', '--depth', '4', ...TINY, '--threads', '1', '--out', out]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^backend: wasm \(SIMD, one thread\)/m);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as CompareMetrics;
    expect(metrics.threads).toBe(1);
  });

  it('refuses a count that is not a positive integer, quoting it', async () => {
    const run = await runCli(['train', ...TINY, '--threads', '0', '--out', join(tempDir(), 'no')]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/--threads <n>.*0/);
  });
});
