import type { Measurement } from './cases.js';
import { scaling, type Scaling } from './scaling.js';

/** A measurement with what the report compares it to. */
export interface RatedMeasurement extends Measurement {
  /** The peer with the least ms per image for the same model, task and thread count. */
  fastestPeer?: string;
  /** ms per image of this row over the fastest peer's (> 1: slower; the fastest peer's own row is 1). */
  vsFastestPeer?: number;
  /** The same ratio of CPU time per image: the work done, less sensitive to other processes. */
  vsFastestPeerCpu?: number;
  /** Rows at more than one thread: the speedup over the one-thread row of the same engine, and Amdahl's projection. */
  scaling?: Scaling;
  /** TF.js rows: ms per image over Keras's at the same model, task and threads (> 1: slower). */
  vsKeras?: number;
  /** TF.js rows: ms per image over PyTorch's (the bench's, else Debian's) at the same model, task and threads. */
  vsPyTorch?: number;
  /** The PyTorch row `vsPyTorch` and `rssVsPyTorch` divide by: `pytorch`, else `pytorch (Debian)`. */
  pytorch?: string;
  /** TF.js rows: peak RSS over that PyTorch's. */
  rssVsPyTorch?: number;
}

const isPeer = (m: Measurement) => m.framework !== 'tfjs';
const same = (a: Measurement, b: Measurement) => a.model === b.model && a.task === b.task && a.threads === b.threads;

/**
 * Rates every row: its ratio to the fastest peer at the same model, task and
 * thread count, its 1 -> N speedup with the projection to 8 and 16 cores,
 * and (TF.js rows) its time over Keras's and over PyTorch's and its peak RSS over PyTorch's.
 */
export function rate(measurements: readonly Measurement[]): RatedMeasurement[] {
  return measurements.map((m) => {
    const rated: RatedMeasurement = { ...m };
    const peers = measurements.filter((p) => isPeer(p) && same(p, m));
    if (peers.length > 0) {
      const fastest = peers.reduce((a, b) => (b.msPerImage < a.msPerImage ? b : a));
      const cpuPerImage = (r: Measurement) => r.cpuMsPerBatch / r.batch;
      rated.fastestPeer = fastest.engine;
      rated.vsFastestPeer = m.msPerImage / fastest.msPerImage;
      rated.vsFastestPeerCpu = cpuPerImage(m) / cpuPerImage(fastest);
    }
    if (m.threads > 1) {
      const one = measurements.find(
        (o) => o.engine === m.engine && o.model === m.model && o.task === m.task && o.threads === 1,
      );
      if (one != null) rated.scaling = scaling(one.msPerImage, m.msPerImage, m.threads);
    }
    if (!isPeer(m)) {
      const keras = measurements.find((p) => p.engine === 'keras' && same(p, m));
      if (keras != null) rated.vsKeras = m.msPerImage / keras.msPerImage;
      const torch = ['pytorch', 'pytorch (Debian)']
        .map((engine) => measurements.find((p) => p.engine === engine && same(p, m)))
        .find((p) => p != null);
      if (torch != null) {
        rated.pytorch = torch.engine;
        rated.vsPyTorch = m.msPerImage / torch.msPerImage;
        rated.rssVsPyTorch = m.maxRssMiB / torch.maxRssMiB;
      }
    }
    return rated;
  });
}
