/**
 * Amdahl's law (Amdahl 1967): a program whose serial fraction is `s` runs
 * `S(p) = 1 / (s + (1 - s) / p)` times faster on `p` cores than on one. A
 * speedup `S` measured on `n` cores gives `s = (n / S - 1) / (n - 1)`; the
 * bench projects to 8 and 16 cores from it. A projection, not a
 * measurement: it assumes the parallel part keeps dividing and nothing else
 * (memory bandwidth, caches, communication) changes with the core count.
 */

/** The serial fraction behind a speedup `speedup` measured on `cores` cores, kept within [0, 1]. */
export function serialFraction(speedup: number, cores: number): number {
  if (!(speedup > 0) || !Number.isFinite(speedup)) {
    throw new RangeError(`serialFraction: the speedup must be a positive number, received ${speedup}.`);
  }
  if (!Number.isInteger(cores) || cores < 2) {
    throw new RangeError(`serialFraction: a speedup measured on ${cores} core(s) says nothing; measure on 2 or more.`);
  }
  // Above n (superlinear, from caches or noise) nothing is serial; below 1 (slower on more cores) everything is.
  return Math.min(1, Math.max(0, (cores / speedup - 1) / (cores - 1)));
}

/** Amdahl's speedup on `cores` cores of a program whose serial fraction is `serial`. */
export function amdahlSpeedup(serial: number, cores: number): number {
  if (!(serial >= 0 && serial <= 1)) throw new RangeError(`amdahlSpeedup: serial fraction ${serial} is not in [0, 1].`);
  if (!(cores >= 1)) throw new RangeError(`amdahlSpeedup: ${cores} cores; pass 1 or more.`);
  return 1 / (serial + (1 - serial) / cores);
}

/** The core counts the report projects to. */
export const PROJECTED_CORES = [8, 16] as const;

/** Speedup measured from 1 to `cores` cores, the serial fraction it implies and the projections to 8 and 16 cores. */
export interface Scaling {
  cores: number;
  speedup: number;
  serialFraction: number;
  /** Amdahl's projection from `serialFraction`, by core count: `{ 8: ..., 16: ... }`. */
  projected: Record<(typeof PROJECTED_CORES)[number], number>;
}

/** The scaling of a run that took `oneCoreMs` on one core and `manyCoreMs` on `cores`. */
export function scaling(oneCoreMs: number, manyCoreMs: number, cores: number): Scaling {
  const speedup = oneCoreMs / manyCoreMs;
  const s = serialFraction(speedup, cores);
  return {
    cores,
    speedup,
    serialFraction: s,
    projected: { 8: amdahlSpeedup(s, 8), 16: amdahlSpeedup(s, 16) },
  };
}
