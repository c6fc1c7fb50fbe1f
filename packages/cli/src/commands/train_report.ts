import { reportHtml } from '../report/html.js';
import { formatRate } from '../train/terminal_hooks.js';
import { movingAverage } from '../report/moving_average.js';
import { lineChartSvg } from '../report/line_chart.js';
import { recipeText } from 'tfjs-skip-train';
import type { TrainMetrics } from './train_metrics.js';
import { threadsText } from '../backend.js';

/** report.html of `tfjs-skip train`: the run's facts and its loss and accuracy curves as inline SVG. */
export async function trainReport(metrics: TrainMetrics): Promise<string> {
  const epochs = metrics.loss.map((_, i) => i + 1);
  const smooth = movingAverage(metrics.stepLoss, 10);
  return reportHtml({
    title: `tfjs-skip train: ${metrics.model} on ${metrics.data.name}`,
    facts: [
      ['test accuracy', `${(metrics.testAccuracy * 100).toFixed(2)}% (${metrics.data.testExamples} images)`],
      ['model', `${metrics.model}, ${metrics.params.toLocaleString('en-US')} parameters`],
      [
        'data',
        `${metrics.data.source}: ${metrics.data.trainExamples} training images of ` +
          `${metrics.data.imageShape.join('x')}, ${metrics.data.classes} classes`,
      ],
      [
        'training',
        `${metrics.epochs} epochs, batch ${metrics.batchSize}, seed ${metrics.seed}, ` +
          `${metrics.trainSeconds.toFixed(0)} s on ${metrics.backend} (${threadsText(metrics.threads)})`,
      ],
      ['recipe', recipeText(metrics.recipe)],
    ],
    tables: [
      {
        head: ['epoch', 'loss', 'accuracy', 'learning rate (last step)', 'seconds'],
        rows: epochs.map((epoch, index) => [
          String(epoch),
          metrics.loss[index].toFixed(4),
          metrics.accuracy[index].toFixed(4),
          formatRate(metrics.epochLearningRate[index]),
          metrics.epochSeconds[index].toFixed(1),
        ]),
      },
    ],
    charts: [
      {
        title: 'Training loss',
        svg: await lineChartSvg({
          title: 'Training loss by step',
          x: 'step',
          y: 'cross-entropy',
          series: [{ name: 'batch loss (10-step mean)', points: smooth }],
        }),
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
            {
              name: 'training (during the epoch)',
              points: epochs.map((epoch, index) => [epoch, metrics.accuracy[index]] as const),
            },
            { name: 'test (saved model)', points: [[metrics.epochs, metrics.testAccuracy]] },
          ],
        }),
        caption: "Training accuracy over each epoch, and the saved model's accuracy on the test split.",
      },
      {
        title: 'Learning rate',
        svg: await lineChartSvg({
          title: 'Learning rate by step',
          x: 'step',
          y: 'learning rate',
          series: [{ name: metrics.recipe.schedule, points: thin(metrics.stepLearningRate, 400) }],
        }),
        caption: 'The rate the optimizer used at each step: the schedule with its warm-up.',
      },
    ],
  });
}

/**
 * At most about `max` points of a long series, always keeping the last
 * (a step schedule's drops stay within one stride).
 */
function thin(points: ReadonlyArray<readonly [number, number]>, max: number): Array<readonly [number, number]> {
  const stride = Math.max(1, Math.ceil(points.length / max));
  return points.filter((_, i) => i % stride === 0 || i === points.length - 1);
}
