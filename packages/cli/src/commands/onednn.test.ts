import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../testing/run_cli.js';
import type { TrainMetrics } from './train_metrics.js';

const TINY = ['--examples', '200', '--epochs', '1', '--batch-size', '32'];

describe('the onednn backend from the command line', () => {
  it('is what auto picks where its addon loads: the run says so, with the ISA, and records it', async () => {
    const out = join(tempDir(), 'auto');
    const run = await runCli(['train', ...TINY, '--threads', '2', '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^backend: onednn \(oneDNN 2\.\d+\.\d+, \w+, 2 threads\), from tfjs-skip-onednn/m);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as TrainMetrics;
    expect(metrics).toMatchObject({ backend: 'onednn', threads: 2 });
    expect(metrics.loss.every(Number.isFinite)).toBe(true);
  });

  it('without it, auto trains on wasm and says why onednn was skipped', async () => {
    const out = join(tempDir(), 'without');
    const run = await runCli(['train', ...TINY, '--out', out], undefined, { TFJS_SKIP_ONEDNN: 'off' });
    expect(run.code).toBe(0);
    const why = 'onednn: the onednn backend is turned off (TFJS_SKIP_ONEDNN=off)';
    expect(run.stdout).toMatch(/^backend: wasm \(SIMD, .*\), training kernels from tfjs-wasm-train \((.*)\)$/m);
    expect(run.stdout).toContain(`training kernels from tfjs-wasm-train (${why})`);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as TrainMetrics;
    expect(metrics.backend).toBe('wasm');
  });

  it('asked for by name where it cannot run, fails in one line saying how to get it', async () => {
    const run = await runCli(['train', ...TINY, '--backend', 'onednn', '--out', join(tempDir(), 'no')], undefined, {
      TFJS_SKIP_ONEDNN: 'off',
    });
    expect(run.code).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(
      /--backend onednn cannot run here: the onednn backend is turned off \(TFJS_SKIP_ONEDNN=off\)/,
    );
  });
});
