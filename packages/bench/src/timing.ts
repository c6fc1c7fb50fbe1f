/** Median of the numbers (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median() of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Milliseconds of each timed run: wall clock, and CPU time of the whole
 * process (every thread, workers included). On a busy machine wall time
 * grows while CPU time stays close to the work done.
 */
export interface Timings {
  wallMs: number[];
  cpuMs: number[];
}

/** Runs `run` `warmup` times untimed, then `runs` times timed. */
export async function timeRuns(run: () => unknown, warmup: number, runs: number): Promise<Timings> {
  for (let i = 0; i < warmup; i++) await run();
  const timings: Timings = { wallMs: [], cpuMs: [] };
  for (let i = 0; i < runs; i++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    await run();
    timings.wallMs.push(performance.now() - start);
    const used = process.cpuUsage(cpu);
    timings.cpuMs.push((used.user + used.system) / 1000);
  }
  return timings;
}

/** Peak RSS of this process so far (every thread), in MiB. */
export function maxRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

export const MiB = 2 ** 20;
