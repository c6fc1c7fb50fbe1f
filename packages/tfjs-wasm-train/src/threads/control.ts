/**
 * The control block the kernel pool and its worker threads share: a few
 * int32 cells the threads wait and signal on (Atomics), each thread's
 * arguments (float64), and the text of the first failure.
 */
export const CELL = {
  /** Bumped for every job; workers wait for it to change. */
  generation: 0,
  /** Workers done with the current job. */
  done: 1,
  /** 1 + the index of the first worker whose kernel threw, or 0. */
  failed: 2,
  /** The job's kernel, as an index into the pool's kernel names. */
  kernel: 3,
  /** How many arguments the kernel takes. */
  argc: 4,
  /** Workers with an index below this run the job; the others only check in. */
  active: 5,
  /** Set to make every worker return. */
  stop: 6,
} as const;

export const CELLS = 8;
/** Argument slots per thread (the most any kernel takes, rounded up). */
export const ARG_SLOTS = 24;
/** Bytes of the failure text (UTF-8, zero-terminated when shorter). */
export const ERROR_BYTES = 1024;

/** The shared buffers of one pool, as sent to each worker. */
export interface ControlBuffers {
  control: SharedArrayBuffer;
  args: SharedArrayBuffer;
  error: SharedArrayBuffer;
}

export function controlBuffers(workers: number): ControlBuffers {
  return {
    control: new SharedArrayBuffer(CELLS * 4),
    args: new SharedArrayBuffer(Math.max(1, workers) * ARG_SLOTS * 8),
    error: new SharedArrayBuffer(ERROR_BYTES),
  };
}

/**
 * How many times a waiting thread checks its cell before it sleeps in
 * `Atomics.wait` (tens of microseconds): waking a sleeping thread takes about
 * as long as a small kernel's slice.
 */
export const SPIN_CHECKS = 20_000;
