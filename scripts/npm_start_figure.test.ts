/**
 * The READMEs quote what `npm start` prints as `node scripts/npm-start-figure.mjs record` recorded it
 * (experiments/npm-start/): the test accuracy line, the epoch lines, and the wall time. CI's
 * `node scripts/npm-start-figure.mjs check` reruns it and holds the record to what it prints now.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

const log = read('experiments/npm-start/run.log');
const metrics = JSON.parse(read('experiments/npm-start/metrics.json')) as {
  testAccuracy: number;
  testLoss: number;
  threads: number;
  seed: number;
};
const testLine = /^test accuracy .*$/m.exec(log)?.[0] ?? '';
const epochLines = log.split('\n').filter((l) => /^resnet-8 epoch \d\/5: /.test(l));
const wallSeconds = /: (\d+) s wall, start to finish/.exec(log)?.[1];

/** An epoch line without its timing, which varies with the machine's load: `resnet-8 epoch 1/5: loss ..., lr ...`. */
const withoutTiming = (line: string) => line.replace(/, [\d.]+ s \(\d+ img\/s\)$/, '');

describe('the npm start figure', () => {
  it('is recorded from a complete run of the defaults on 2 threads', () => {
    expect(log.split('\n')[0]).toBe('$ npm start -- --threads 2 --out DIR');
    expect(testLine).toBe(
      `test accuracy ${metrics.testAccuracy.toFixed(4)} (loss ${metrics.testLoss.toFixed(4)}) on 1000 images`,
    );
    expect(epochLines).toHaveLength(5);
    expect([metrics.threads, metrics.seed]).toEqual([2, 1]);
    expect(wallSeconds).toMatch(/^\d+$/);
  });

  it('is the one README.md opens with, with its wall time', () => {
    const readme = read('README.md');
    expect(readme).toContain(`prints \`${testLine}\``);
    expect(readme).toContain(`${wallSeconds} s wall`);
  });

  it('is the output packages/cli/README.md shows for `tfjs-skip train`', () => {
    const block = /\n```\n(backend: \w+[\s\S]*?)\n```/.exec(read('packages/cli/README.md'))?.[1] ?? '';
    const lines = block.split('\n');
    expect(lines.at(-1)).toBe(testLine);
    expect(lines.filter((l) => l.startsWith('resnet-8 epoch')).map(withoutTiming)).toEqual(
      epochLines.map(withoutTiming),
    );
  });
});
