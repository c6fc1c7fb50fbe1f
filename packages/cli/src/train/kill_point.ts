import { watch } from 'node:fs';

/**
 * A test hook for exact-resume tests: `TFJS_SKIP_KILL_AT=<point>` makes the
 * process kill itself with SIGKILL (no handler runs, nothing is flushed) at
 * a named point, as a power cut or the OOM killer would:
 *
 * - `step:N`: in the middle of global step N (counted from 0 over the
 *   run): after the optimizer changed the weights, before the step is
 *   counted, its loss recorded or anything written;
 * - `checkpoint:K`: while the K-th checkpoint of this process is being
 *   written, as soon as its first temporary file appears in the folder;
 * - `finish`: after the last checkpoint, before metrics.json and report.html.
 *
 * Unset (always, outside tests) it does nothing.
 */
export function killPoint(point: string): void {
  if (process.env['TFJS_SKIP_KILL_AT'] === point) process.kill(process.pid, 'SIGKILL');
}

let checkpoints = 0;

/**
 * Around one checkpoint write: with `TFJS_SKIP_KILL_AT=checkpoint:K` and this
 * the K-th, watches `dir` and kills the process when a `.tmp` file is
 * created there, i.e. in the middle of the write. Returns a function that
 * stops watching.
 */
export function watchCheckpointWrite(dir: string): () => void {
  checkpoints++;
  if (process.env['TFJS_SKIP_KILL_AT'] !== `checkpoint:${checkpoints}`) return () => {};
  const watcher = watch(dir, (_event, name) => {
    if (name?.endsWith('.tmp')) process.kill(process.pid, 'SIGKILL');
  });
  return () => watcher.close();
}
