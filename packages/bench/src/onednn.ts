import type { Availability } from './plan.js';

/** Whether the `onednn` backend runs here, and when it does, what it runs on. */
export interface OnednnSetup {
  availability: Availability;
  /** `oneDNN 2.6.3, avx512_core`: oneDNN's version and the instruction set its kernels chose on this CPU. */
  version?: string;
}

/**
 * Asks tfjs-skip-onednn whether its addon loads (it needs the system's
 * oneDNN): when it does not, `onednnProblem()`'s one line is the reason the
 * bench gives for skipping the `onednn` rows; a package that does not even
 * import is a reason too, never a failure.
 */
export async function onednnSetup(): Promise<OnednnSetup> {
  let onednn: typeof import('tfjs-skip-onednn');
  try {
    onednn = await import('tfjs-skip-onednn');
  } catch (error) {
    return {
      availability: { available: false, reason: `tfjs-skip-onednn does not load: ${(error as Error).message}` },
    };
  }
  const problem = onednn.onednnProblem();
  if (problem != null) return { availability: { available: false, reason: problem } };
  const { version, isa } = onednn.onednnInfo();
  return { availability: { available: true }, version: `oneDNN ${version}, ${isa}` };
}
