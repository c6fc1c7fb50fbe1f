import { recipeText } from 'tfjs-skip-train';
import { reportHtml, type ReportChart } from '../report/html.js';
import { movingAverage } from '../report/moving_average.js';
import { lineChartSvg, type Series } from '../report/line_chart.js';
import type { CompareMetrics, CompareRun } from './compare_metrics.js';
import { threadsText } from '../backend.js';

const GRADIENT_CAPTION = {
  mlp:
    'Vanishing gradients: without normalization, the deep plain net passes back a gradient ' +
    'orders of magnitude smaller than its residual twin, to every layer; ' +
    'the skip connections carry it back to the input.',
  conv:
    'With BatchNorm the gradient does not vanish in either net: the plain net trains more slowly all the same ' +
    '(the degradation problem of He et al. 2016). ' +
    'Compare how the gradient is spread over the layers at initialization and later.',
} as const;

/**
 * report.html of `tfjs-skip compare`: the table, training loss curves, and
 * per-layer gradient norms at initialization and during training.
 */
export async function compareReport(m: CompareMetrics): Promise<string> {
  const depths = [...new Set(m.runs.map((r) => r.depth))];
  const charts: ReportChart[] = [
    {
      title: 'Training loss',
      svg: await lineChartSvg({
        title: 'Training loss by step (10-step mean)',
        x: 'step',
        y: 'cross-entropy',
        series: m.runs.map((r) => ({
          name: r.model,
          dashed: r.kind === 'plain',
          points: movingAverage(r.stepLoss, 10),
        })),
      }),
      caption:
        'The degradation problem: at the same depth and width, with the same data order and seed, ' +
        'the plain net trains more slowly than its residual twin, and the gap grows with depth.',
    },
  ];
  for (const depth of depths) {
    const twins = m.runs.filter((r) => r.depth === depth);
    const series: Series[] = twins.flatMap((r) => {
      const first = r.gradNorms[0];
      const last = r.gradNorms.at(-1);
      const at = (g: CompareRun['gradNorms'][number], label: string): Series => ({
        name: `${r.model} ${label}`,
        dashed: r.kind === 'plain',
        points: g.norms.map((n) => [n.layer, Math.max(n.norm, 1e-12)] as const),
      });
      return [
        ...(first ? [at(first, 'at init')] : []),
        ...(last && last !== first ? [at(last, `at step ${last.step}`)] : []),
      ];
    });
    charts.push({
      title: `Gradient norm by layer, depth ${depth}`,
      svg: await lineChartSvg({
        title: `Per-layer gradient norm, depth ${depth}`,
        x: 'weighted layer (input → output)',
        y: '‖∂loss/∂kernel‖ (log)',
        series,
        logY: true,
      }),
      caption:
        `${m.family === 'mlp' ? GRADIENT_CAPTION.mlp : GRADIENT_CAPTION.conv} ` +
        'A gradient of exactly 0 (a net whose ReLUs have all died) is drawn at 1e-12.',
    });
  }
  charts.push({
    title: 'Gradient at the first layer during training',
    svg: await lineChartSvg({
      title: 'First-layer gradient norm during training',
      x: 'step',
      y: '‖∂loss/∂kernel‖ of layer 1 (log)',
      logY: true,
      series: m.runs.map((r) => ({
        name: r.model,
        dashed: r.kind === 'plain',
        points: r.gradNorms.map((g) => [g.step, Math.max(g.norms[0]?.norm ?? 0, 1e-12)] as const),
      })),
    }),
    caption: 'How much learning signal reaches the first layer as training goes on.',
  });
  const rows = m.runs.map((r) => [
    r.model,
    String(r.params),
    (r.loss.at(-1) as number).toFixed(4),
    (r.accuracy.at(-1) as number).toFixed(4),
    r.testAccuracy.toFixed(4),
    r.seconds.toFixed(0),
  ]);
  return reportHtml({
    title: `tfjs-skip compare: plain vs residual on ${m.data.name}`,
    facts: [
      ['data', `${m.data.source}: ${m.data.trainExamples} training images, ${m.data.testExamples} test images`],
      [
        'training',
        `${m.epochs} epochs, batch ${m.batchSize}, seed ${m.seed}, backend ${m.backend} (${threadsText(m.threads)})`,
      ],
      ['recipe', recipeText(m.recipe)],
      [
        'family',
        m.family === 'conv'
          ? "conv: the zoo's plainNet vs resnet (He et al. 2016, CIFAR models)"
          : 'mlp: deep narrow dense nets, plain vs residual (width 32)',
      ],
    ],
    tables: [{ head: ['net', 'params', 'final train loss', 'train acc', 'test acc', 'seconds'], rows }],
    charts,
  });
}
