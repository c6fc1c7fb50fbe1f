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
export async function compareReport(metrics: CompareMetrics): Promise<string> {
  const depths = [...new Set(metrics.runs.map((run) => run.depth))];
  const charts: ReportChart[] = [
    {
      title: 'Training loss',
      svg: await lineChartSvg({
        title: 'Training loss by step (10-step mean)',
        x: 'step',
        y: 'cross-entropy',
        series: metrics.runs.map((run) => ({
          name: run.model,
          dashed: run.kind === 'plain',
          points: movingAverage(run.stepLoss, 10),
        })),
      }),
      caption:
        'The degradation problem: at the same depth and width, with the same data order and seed, ' +
        'the plain net trains more slowly than its residual twin, and the gap grows with depth.',
    },
  ];
  for (const depth of depths) {
    const twins = metrics.runs.filter((run) => run.depth === depth);
    const series: Series[] = twins.flatMap((run) => {
      const first = run.gradNorms[0];
      const last = run.gradNorms.at(-1);
      const at = (snapshot: CompareRun['gradNorms'][number], label: string): Series => ({
        name: `${run.model} ${label}`,
        dashed: run.kind === 'plain',
        points: snapshot.norms.map((entry) => [entry.layer, Math.max(entry.norm, 1e-12)] as const),
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
        `${metrics.family === 'mlp' ? GRADIENT_CAPTION.mlp : GRADIENT_CAPTION.conv} ` +
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
      series: metrics.runs.map((run) => ({
        name: run.model,
        dashed: run.kind === 'plain',
        points: run.gradNorms.map(
          (snapshot) => [snapshot.step, Math.max(snapshot.norms[0]?.norm ?? 0, 1e-12)] as const,
        ),
      })),
    }),
    caption: 'How much learning signal reaches the first layer as training goes on.',
  });
  const rows = metrics.runs.map((run) => [
    run.model,
    String(run.params),
    (run.loss.at(-1) as number).toFixed(4),
    (run.accuracy.at(-1) as number).toFixed(4),
    run.testAccuracy.toFixed(4),
    run.seconds.toFixed(0),
  ]);
  return reportHtml({
    title: `tfjs-skip compare: plain vs residual on ${metrics.data.name}`,
    facts: [
      [
        'data',
        `${metrics.data.source}: ${metrics.data.trainExamples} training images, ` +
          `${metrics.data.testExamples} test images`,
      ],
      [
        'training',
        `${metrics.epochs} epochs, batch ${metrics.batchSize}, seed ${metrics.seed}, ` +
          `backend ${metrics.backend} (${threadsText(metrics.threads)})`,
      ],
      ['recipe', recipeText(metrics.recipe)],
      [
        'family',
        metrics.family === 'conv'
          ? "conv: the zoo's plainNet vs resnet (He et al. 2016, CIFAR models)"
          : 'mlp: deep narrow dense nets, plain vs residual (width 32)',
      ],
    ],
    tables: [{ head: ['net', 'params', 'final train loss', 'train acc', 'test acc', 'seconds'], rows }],
    charts,
  });
}
