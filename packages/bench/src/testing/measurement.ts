import type { Measurement } from '../cases.js';

/**
 * Test-only: a ResNet-20 training row of batch 64 taking `ms` per batch (CPU
 * time: `ms` on each thread), 400 MiB peak RSS and, for TF.js engines, no
 * tensor growth; `extra` overrides any of it.
 */
export function measurement(
  engine: string,
  threads: number,
  ms: number,
  extra: Partial<Measurement> = {},
): Measurement {
  const framework = engine.startsWith('pytorch') ? 'pytorch' : engine === 'keras' ? 'keras' : 'tfjs';
  return {
    framework,
    engine,
    model: 'resnet-20',
    task: 'train',
    threads,
    batch: 64,
    warmup: 2,
    runs: 7,
    msPerBatch: ms,
    minMsPerBatch: ms,
    cpuMsPerBatch: ms * threads,
    msPerImage: ms / 64,
    imagesPerSecond: 64_000 / ms,
    maxRssMiB: 400,
    ...(framework === 'tfjs' ? { tensorGrowth: 0 } : {}),
    ...extra,
  };
}
