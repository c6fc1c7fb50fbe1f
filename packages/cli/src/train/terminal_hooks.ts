import type { FitHooks } from 'tfjs-skip-train';
import type { Interrupt } from '../interrupt.js';
import type { Progress } from '../progress.js';
import { killPoint } from './kill_point.js';

/**
 * The hooks of `tfjs-skip-train`'s `fit` for a run in a terminal: the
 * progress bar of each epoch and a line after it, Ctrl-C (`interrupt`), the
 * `step:N` kill point of the resume tests (after the step changed the
 * weights, before anything of it is written), and `[step, loss]` of every
 * step pushed onto `stepLoss`.
 */
export function terminalHooks(run: {
  readonly progress: Progress;
  /** Shown before the bar and the epoch lines, e.g. the model name. */
  readonly label: string;
  readonly interrupt: Interrupt;
  readonly stepLoss: Array<[number, number]>;
}): FitHooks {
  const { progress, label, interrupt, stepLoss } = run;
  return {
    onEpochStart: ({ epoch, epochs, steps, step }) => progress.start(`${label} epoch ${epoch}/${epochs}`, steps, step),
    onStep: (step) => {
      killPoint(`step:${step.globalStep}`);
      stepLoss.push([step.globalStep, step.loss]);
      progress.update(step.step, {
        loss: step.epochLoss,
        accuracy: step.epochAccuracy,
        learningRate: step.learningRate,
        speed: step.imagesPerSecond,
      });
    },
    onEpochEnd: ({ record, epochs, images }) => {
      progress.stop();
      const rate = record.learningRate === undefined ? '' : `, lr ${formatRate(record.learningRate)}`;
      progress.log(
        `${label} epoch ${record.epoch}/${epochs}: loss ${record.loss.toFixed(4)}, ` +
          `accuracy ${record.accuracy.toFixed(4)}${rate}, ${record.seconds.toFixed(1)} s ` +
          `(${(images / record.seconds).toFixed(0)} img/s)`,
      );
    },
    interrupted: () => interrupt.requested,
  };
}

/** A learning rate in four significant digits (0.1, 0.001, 2.5e-5). */
export function formatRate(rate: number): string {
  return rate >= 1e-3 ? String(+rate.toPrecision(4)) : rate.toExponential(3).replace(/\.?0+e/, 'e');
}
