import { describe, expect, it } from 'vitest';
import { rate } from './rate.js';
import { measurement as row } from './testing/measurement.js';
import { summaryTable } from './report.js';

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
