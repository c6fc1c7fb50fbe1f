import { describe, expect, it } from 'vitest';
import type { Report } from './report.js';
import { rate } from './rate.js';
import { measurement as row } from './testing/measurement.js';
import { markdown, summaryTable } from './report.js';

describe('summaryTable', () => {
  it('puts every TF.js engine at each thread count beside Keras and PyTorch, cpu only where nothing faster ran', () => {
    const table = summaryTable(
      rate([
        row('cpu', 1, 3000, { tensorGrowth: 5 }),
        row('wasm', 1, 300),
        row('onednn', 1, 100, { maxRssMiB: 500 }),
        row('wasm', 2, 200, { maxRssMiB: 600 }),
        row('onednn', 2, 60),
        row('pytorch', 1, 180),
        row('pytorch', 2, 100),
        row('keras', 1, 120),
        row('keras', 2, 125),
      ]),
    );
    expect(table.split('\n').slice(2)).toEqual([
      '| resnet-20 | train | 1 | wasm | 300.0 | 120.0 | 2.50x | 180.0 | 1.67x | — | 400 | 1.00x | 0 |',
      '| resnet-20 | train | 1 | onednn | 100.0 | 120.0 | 0.83x | 180.0 | 0.56x | — | 500 | 1.25x | 0 |',
      '| resnet-20 | train | 2 | wasm | 200.0 | 125.0 | 1.60x | 100.0 | 2.00x | 1.50x | 600 | 1.50x | 0 |',
      '| resnet-20 | train | 2 | onednn | 60.0 | 125.0 | 0.48x | 100.0 | 0.60x | 1.67x | 400 | 1.00x | 0 |',
    ]);
  });

  it("keeps the cpu row when it is all TF.js ran, and names Debian's PyTorch when it stands in", () => {
    const table = summaryTable(rate([row('cpu', 1, 3000), row('pytorch (Debian)', 1, 150, { maxRssMiB: 200 })]));
    expect(table.split('\n').slice(2)).toEqual([
      '| resnet-20 | train | 1 | cpu | 3000.0 | — | — | 150.0 (pytorch (Debian)) | 20.00x | — | 400 | 2.00x | 0 |',
    ]);
  });
});

describe('markdown', () => {
  it('names what the onednn rows ran on in the header', () => {
    const report: Report = {
      date: '2026-12-06T21:00:00.000Z',
      command: 'node --import tsx packages/bench/src/main.ts --engines onednn,keras',
      quick: false,
      durationSeconds: 60,
      machine: {
        cpus: 2,
        cpuModel: 'AMD EPYC',
        node: 'v20.20.2',
        peers: { keras: 'keras 3.15.1, tensorflow 2.21.0' },
        onednn: 'oneDNN 2.6.3, avx512_core',
        threads: [1],
        loadAverageStart: [0.5, 0.5, 0.5],
        loadAverageEnd: [0.9, 0.6, 0.5],
      },
      measurements: rate([row('onednn', 1, 100), row('keras', 1, 120)]),
      skipped: [],
      failed: [],
    };
    const md = markdown(report);
    expect(md).toContain(
      '- peer keras: keras 3.15.1, tensorflow 2.21.0\n- onednn backend: oneDNN 2.6.3, avx512_core\n',
    );
    expect(md).toContain('| resnet-20 | train | 1 | onednn | 100.0 | 120.0 | 0.83x | — | — | — | 400 | — | 0 |');
  });
});
