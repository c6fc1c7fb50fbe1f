// Draws figure-RECIPE.svg from runs/RECIPE/*/metrics.json: training error by
// epoch of the plain nets (left) and the ResNets (right) at depths 20 and 56,
// with each net's final test error, like He et al. 2016 Fig. 6; and the
// training loss by step below, with a table on stdout.
// Run from anywhere: node experiments/degradation/figure.mjs he2016
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as vega from 'vega';
import { compile } from 'vega-lite';

const here = dirname(fileURLToPath(import.meta.url));
const recipe = process.argv[2] ?? 'he2016';
const nets = ['plain-20', 'plain-56', 'resnet-20', 'resnet-56'];
const epochRows = [];
const testRows = [];
const lossRows = [];
const table = [];
for (const net of nets) {
  const file = join(here, 'runs', recipe, net, 'metrics.json');
  if (!existsSync(file)) continue;
  const m = JSON.parse(readFileSync(file, 'utf8'));
  const family = net.startsWith('plain') ? 'plain' : 'ResNet';
  const depth = `${net.split('-')[1]}-layer`;
  m.accuracy.forEach((a, i) => epochRows.push({ family, depth, epoch: i + 1, error: 100 * (1 - a) }));
  testRows.push({ family, depth, epoch: m.epochs, error: 100 * (1 - m.testAccuracy) });
  const k = 8; // mean over 8 steps
  for (let i = k - 1; i < m.stepLoss.length; i += k) {
    const window = m.stepLoss.slice(i - k + 1, i + 1);
    lossRows.push({ family, depth, step: window.at(-1)[0], loss: window.reduce((s, [, l]) => s + l, 0) / k });
  }
  table.push({
    net,
    examples: m.data.trainExamples,
    params: m.params,
    trainError: 100 * (1 - m.accuracy.at(-1)),
    trainLoss: m.loss.at(-1),
    testError: 100 * (1 - m.testAccuracy),
    seconds: m.trainSeconds,
  });
}

const color = {
  field: 'depth',
  type: 'nominal',
  title: null,
  scale: { domain: ['20-layer', '56-layer'], range: ['#d62728', '#1f77b4'] },
};
const panel = (family, which) => ({
  title: family === 'plain' ? 'plain-20 / plain-56' : 'ResNet-20 / ResNet-56',
  width: 300,
  height: 200,
  layer:
    which === 'error'
      ? [
          {
            data: { values: epochRows.filter((r) => r.family === family) },
            mark: { type: 'line', point: true },
            encoding: {
              x: { field: 'epoch', type: 'quantitative', axis: { tickMinStep: 1, format: 'd' } },
              y: { field: 'error', type: 'quantitative', title: 'training error (%), test error (square)' },
              color,
            },
          },
          {
            data: { values: testRows.filter((r) => r.family === family) },
            mark: { type: 'square', size: 90, filled: true },
            encoding: {
              x: { field: 'epoch', type: 'quantitative' },
              y: { field: 'error', type: 'quantitative' },
              color,
            },
          },
        ]
      : [
          {
            data: { values: lossRows.filter((r) => r.family === family) },
            mark: 'line',
            encoding: {
              x: { field: 'step', type: 'quantitative' },
              y: { field: 'loss', type: 'quantitative', title: 'training loss (8-step mean)', scale: { type: 'log' } },
              color,
            },
          },
        ],
});
const spec = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  title: {
    text: `Degradation on Fashion-MNIST (${table[0]?.examples.toLocaleString('en-US')}-image subset, ${recipe} recipe)`,
    subtitle: 'same recipe, data and seed; lines: training error by epoch; squares: final test error (10,000 images)',
  },
  vconcat: [
    { hconcat: [panel('plain', 'error'), panel('ResNet', 'error')] },
    { hconcat: [panel('plain', 'loss'), panel('ResNet', 'loss')] },
  ],
  resolve: { scale: { color: 'shared' } },
  config: { font: 'sans-serif' },
};
const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
const svgFile = join(here, `figure-${recipe}.svg`);
writeFileSync(svgFile, await view.toSVG());
view.finalize();
for (const r of table)
  console.log(
    `${r.net.padEnd(10)} ${String(r.params).padStart(8)}  train loss ${r.trainLoss.toFixed(4)}  ` +
      `train error ${r.trainError.toFixed(2)}%  test error ${r.testError.toFixed(2)}%  ${r.seconds.toFixed(0)} s`,
  );
console.log(`wrote ${svgFile}`);
