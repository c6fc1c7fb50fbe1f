import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../testing/run_cli.js';
import type { CompareMetrics } from './compare.js';

describe('tfjs-skip compare', () => {
  it('trains a plain net and its residual twin, and reports loss curves and per-layer gradient norms', async () => {
    const out = join(tempDir(), 'cmp');
    const run = await runCli([
      'compare',
      '--family',
      'mlp',
      '--depth',
      '6',
      '--examples',
      '200',
      '--epochs',
      '2',
      '--backend',
      'cpu',
      '--out',
      out,
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^net +depth +params +train loss +train acc +test acc +layer-1 grad @init +seconds$/m);
    expect(run.stdout).toMatch(/^mlp-6 +6 +29,674 /m);
    expect(run.stdout).toMatch(/^residual-mlp-6 +6 +29,674 /m);
    expect(readdirSync(out).sort()).toEqual(['metrics.json', 'report.html']);

    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as CompareMetrics;
    expect(metrics.runs.map((net) => net.model)).toEqual(['mlp-6', 'residual-mlp-6']);
    const steps = 2 * Math.ceil(200 / 64);
    for (const net of metrics.runs) {
      expect(net.loss).toHaveLength(2);
      expect(net.stepLoss).toHaveLength(steps);
      expect(net.testAccuracy).toBeGreaterThanOrEqual(0);
      expect(net.testAccuracy).toBeLessThanOrEqual(1);
      expect(net.gradNorms[0]?.step).toBe(0);
      expect(net.gradNorms.length).toBeGreaterThan(1);
      for (const snapshot of net.gradNorms) {
        // every dense kernel, input to output
        expect(snapshot.norms.map((entry) => entry.layer)).toEqual([1, 2, 3, 4, 5, 6]);
        for (const entry of snapshot.norms) expect(entry.norm).toBeGreaterThan(0);
      }
    }

    const html = readFileSync(join(out, 'report.html'), 'utf8');
    // loss curves, gradient norms by layer, first-layer gradient over time
    expect(html.match(/<svg[^>]*>/g)?.length).toBe(3);
    expect(html).toContain('Per-layer gradient norm, depth 6');
  });

  it('stops on Ctrl-C with one line and writes nothing', async () => {
    const out = join(tempDir(), 'cmp');
    let sent = false;
    const run = await runCli(
      [
        'compare',
        '--depth',
        '16',
        '--examples',
        '600',
        '--epochs',
        '3',
        '--batch-size',
        '16',
        '--backend',
        'cpu',
        '--out',
        out,
      ],
      (soFar, child) => {
        if (!sent && soFar.includes('epoch 1/3:')) {
          sent = true;
          child.kill('SIGINT');
        }
      },
    );
    expect(run.code).toBe(130);
    expect(run.stderr).toBe('interrupted: no report written; run the command again to compare\n');
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a depth the family cannot build, before training', async () => {
    const out = join(tempDir(), 'cmp');
    const run = await runCli(['compare', '--family', 'conv', '--depth', '10', '--out', out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      "tfjs-skip: --depth 10 does not fit --family conv; conv nets' depth must be 6n + 2 for a whole n >= 1, " +
        'such as 20, 32, 44, 56, 110 (He et al. 2016, Table 6), but received 10\n',
    );
  });
});
