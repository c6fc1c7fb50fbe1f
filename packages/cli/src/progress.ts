import cliProgress from 'cli-progress';

/** Numbers shown beside the bar. */
export interface StepStats {
  readonly loss: number;
  readonly accuracy: number;
  /** The learning rate of the last step; NaN when no schedule sets it (not shown). */
  readonly learningRate?: number;
  /** Training images per second. */
  readonly speed: number;
}

/** Progress of the steps of one epoch, and lines printed between epochs. */
export interface Progress {
  start(label: string, total: number, done: number): void;
  update(done: number, stats: StepStats): void;
  stop(): void;
  log(line: string): void;
}

/**
 * A progress bar (cli-progress) with step, loss, accuracy, throughput and
 * ETA when `stream` is a terminal; otherwise plain lines: those given to
 * `log`, and for long epochs a status line every `plainEverySeconds`, so
 * logs and CI output stay readable.
 */
export function createProgress(stream: NodeJS.WriteStream = process.stdout, plainEverySeconds = 60): Progress {
  if (!stream.isTTY) return plainProgress(stream, plainEverySeconds);
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: '{label} {bar} step {value}/{total} | loss {loss} | acc {acc}{lr} | {speed} img/s | ETA {eta_formatted}',
      barsize: 24,
      hideCursor: true,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  let active = false;
  return {
    start(label, total, done) {
      bar.start(total, done, { label, loss: '-', acc: '-', lr: '', speed: '-' });
      active = true;
    },
    update(done, stats) {
      bar.update(done, {
        loss: stats.loss.toFixed(4),
        acc: stats.accuracy.toFixed(3),
        lr: rateField(stats),
        speed: stats.speed.toFixed(0),
      });
    },
    stop() {
      if (active) bar.stop();
      active = false;
    },
    log(line) {
      stream.write(`${line}\n`);
    },
  };
}

function plainProgress(stream: NodeJS.WriteStream, everySeconds: number): Progress {
  let label = '';
  let total = 0;
  let first = 0;
  let started = 0;
  let lastLine = 0;
  return {
    start(epochLabel, steps, done) {
      [label, total, first, started, lastLine] = [epochLabel, steps, done, performance.now(), performance.now()];
    },
    update(done, stats) {
      const now = performance.now();
      if (now - lastLine < everySeconds * 1000 || done >= total) return;
      lastLine = now;
      const eta = ((now - started) / 1000 / Math.max(done - first, 1)) * (total - done);
      stream.write(
        `${label} step ${done}/${total} | loss ${stats.loss.toFixed(4)} | acc ${stats.accuracy.toFixed(3)}` +
          `${rateField(stats)} | ${stats.speed.toFixed(0)} img/s | ETA ${Math.round(eta)}s\n`,
      );
    },
    stop() {},
    log: (line) => void stream.write(`${line}\n`),
  };
}

/** ` | lr 0.1` when the step has a scheduled rate, else nothing. */
function rateField(stats: StepStats): string {
  return stats.learningRate !== undefined && Number.isFinite(stats.learningRate)
    ? ` | lr ${stats.learningRate.toPrecision(3)}`
    : '';
}
