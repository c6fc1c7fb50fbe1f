import { describe, expect, it } from 'vitest';
import type { Measurement } from './cases.js';
import { rate } from './rate.js';
import { summaryTable } from './report.js';

function row(engine: string, threads: number, ms: number, extra: Partial<Measurement> = {}): Measurement {
  const framework = engine.startsWith('pytorch') ? 'pytorch' : engine === 'keras' ? 'keras' : 'tfjs';
  return {
    framework,
    engine,
    model: 'resnet-20',
    task: 'train',
    threads,
    batch: 64,
    warmup: 2,
    runs: 7,
    msPerBatch: ms,
    minMsPerBatch: ms,
    cpuMsPerBatch: ms,
    msPerImage: ms / 64,
    imagesPerSecond: 64_000 / ms,
    maxRssMiB: 400,
    ...(framework === 'tfjs' ? { tensorGrowth: 0 } : {}),
    ...extra,
  };
}

describe('summaryTable', () => {
  it("puts tfjs-skip's fastest engine at each thread count beside the fastest peer", () => {
    const table = summaryTable(
      rate([
        row('cpu', 1, 3000, { tensorGrowth: 5 }),
        row('wasm', 1, 300),
        row('wasm', 2, 200, { maxRssMiB: 600 }),
        row('pytorch', 1, 180),
        row('pytorch', 2, 100),
        row('keras', 1, 120),
        row('keras', 2, 125),
      ]),
    );
    const lines = table.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toBe('| resnet-20 | train | 1 | wasm | 300.0 | keras | 120.0 | 2.50x | — | 1.00x | 0 |');
    expect(lines[3]).toBe('| resnet-20 | train | 2 | wasm | 200.0 | pytorch | 100.0 | 2.00x | 1.50x | 1.50x | 0 |');
  });
});
