import { setSimdKernels } from '../simd/module.js';

/**
 * Test-only: runs `check` with the SIMD kernels on, then off (the composed
 * fallback path), and leaves them on even when a check throws.
 */
export async function withAndWithoutSimd(check: (simd: boolean) => Promise<void>): Promise<void> {
  try {
    for (const simd of [true, false]) {
      setSimdKernels(simd);
      await check(simd);
    }
  } finally {
    setSimdKernels(true);
  }
}
