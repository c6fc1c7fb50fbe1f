import { reportHtml } from '../report/html.js';
import { movingAverage } from '../report/moving-average.js';
import { lineChartSvg } from '../report/line-chart.js';
import type { TrainMetrics } from './train-metrics.js';

/** report.html of `tfjs-skip train`: the run's facts and its loss and accuracy curves as inline SVG. */
export async function trainReport(m: TrainMetrics): Promise<string> {
  const epochs = m.loss.map((_, i) => i + 1);
  const smooth = movingAverage(m.stepLoss, 10);
  return reportHtml({
    title: `tfjs-skip train: ${m.model} on ${m.data.name}`,
    facts: [
      ['test accuracy', `${(m.testAccuracy * 100).toFixed(2)}% (${m.data.testExamples} images)`],
      ['model', `${m.model}, ${m.params.toLocaleString('en-US')} parameters`],
      ['data', `${m.data.source}: ${m.data.trainExamples} training images of ${m.data.imageShape.join('x')}, ${m.data.classes} classes`],
      ['training', `${m.epochs} epochs, batch ${m.batchSize}, Adam lr ${m.learningRate}, seed ${m.seed}, ${m.trainSeconds.toFixed(0)} s on ${m.backend}`],
    ],
    tables: [{ head: ['epoch', 'loss', 'accuracy', 'seconds'], rows: epochs.map((e, i) => [String(e), (m.loss[i] as number).toFixed(4), (m.accuracy[i] as number).toFixed(4), (m.epochSeconds[i] as number).toFixed(1)]) }],
    charts: [
      {
        title: 'Training loss',
        svg: await lineChartSvg({ title: 'Training loss by step', x: 'step', y: 'cross-entropy', series: [{ name: 'batch loss (10-step mean)', points: smooth }] }),
        caption: 'Cross-entropy of each training batch, averaged over 10 steps.',
      },
      {
        title: 'Accuracy',
        svg: await lineChartSvg({
          title: 'Accuracy by epoch',
          x: 'epoch',
          y: 'accuracy',
          integerX: true,
          series: [
            { name: 'training (during the epoch)', points: epochs.map((e, i) => [e, m.accuracy[i] as number] as const) },
            { name: 'test (saved model)', points: [[m.epochs, m.testAccuracy]] },
          ],
        }),
        caption: 'Training accuracy over each epoch, and the saved model\'s accuracy on the test split.',
      },
    ],
  });
}
