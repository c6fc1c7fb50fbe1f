import { mulberry32 } from 'tfjs-skip-data';

/** Image augmentation of a run: random crop after zero padding, and horizontal flip. */
export interface AugmentSpec {
  /** Zero padding on each side before a random crop back to the original size; 0 = no crop. */
  readonly crop: number;
  /** Mirror each image left-right with probability 1/2. */
  readonly flip: boolean;
}

/** No augmentation: the images as they are. */
export const NO_AUGMENT: AugmentSpec = { crop: 0, flip: false };

/**
 * The augmentation `--augment crop,flip` means for images of this size:
 * CIFAR-10's 32x32 images get He et al. 2016's 4-pixel padding; 28x28
 * Fashion-MNIST / MNIST images 2 pixels, because their items fill the frame
 * (a 4-pixel shift, 14% of the width, cuts off sleeves and toes).
 * `flip` is on for both: no Fashion-MNIST class depends on handedness (a
 * mirrored sneaker is still a sneaker), and the data set's ResNet18
 * benchmark entry trains with flips. It is off for `--data mnist`-like data
 * only if asked for (digits are not mirror-symmetric: use `--augment crop`).
 */
export function defaultAugment(width: number): AugmentSpec {
  return { crop: width >= 32 ? 4 : 2, flip: true };
}

/**
 * Parses `--augment`: `none`, or a comma list of `crop`, `crop:PAD` and
 * `flip`; `crop` without a number takes `defaultAugment(width).crop`.
 *
 * @example
 * ```ts
 * import { parseAugment } from 'tfjs-skip-train/recipes';
 * parseAugment('crop,flip', 28); // => { crop: 2, flip: true }
 * parseAugment('crop:4', 32); // => { crop: 4, flip: false }
 * ```
 */
export function parseAugment(value: string, width: number): AugmentSpec {
  if (value.trim() === 'none') return NO_AUGMENT;
  let crop = 0;
  let flip = false;
  for (const part of value.split(',').map((p) => p.trim())) {
    const m = /^crop(?::(\d+))?$/.exec(part);
    if (m) crop = m[1] === undefined ? defaultAugment(width).crop : Number(m[1]);
    else if (part === 'flip') flip = true;
    else
      throw new RangeError(
        '--augment takes none, or crop[:PAD] and flip separated by commas (e.g. crop,flip or crop:4); ' +
          `received ${JSON.stringify(value)}`,
      );
  }
  return { crop, flip };
}

/** The text form of a spec, as `--augment` takes it. */
export function augmentText(spec: AugmentSpec): string {
  const parts = [...(spec.crop > 0 ? [`crop:${spec.crop}`] : []), ...(spec.flip ? ['flip'] : [])];
  return parts.length ? parts.join(',') : 'none';
}

/**
 * A seed for the augmentation of one batch, mixed from the run's seed, the
 * epoch and the step: every batch gets its own random stream, and a resumed
 * run draws the same crops and flips as an uninterrupted one without
 * storing generator state.
 */
export function batchSeed(seed: number, epoch: number, step: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ epoch ^ (h >>> 13), 0xc2b2ae35);
  h = Math.imul(h ^ step ^ (h >>> 16), 0x27d4eb2f);
  return (h ^ (h >>> 15)) >>> 0;
}

/**
 * Augments a batch of `n` NHWC images in place (`pixels` as `toBatch` makes
 * them): each image is shifted by a random offset in `[-crop, crop]` in
 * each direction with zeros coming in (the same as zero-padding by `crop`
 * and cropping back at a random corner), then mirrored with probability
 * 1/2. Labels are untouched. Draws three numbers per image from `random`.
 */
export function augmentBatch(
  pixels: Float32Array,
  n: number,
  height: number,
  width: number,
  channels: number,
  spec: AugmentSpec,
  random: () => number,
): void {
  if (spec.crop === 0 && !spec.flip) return;
  const size = height * width * channels;
  const source = new Float32Array(size);
  for (let i = 0; i < n; i++) {
    const dy = Math.floor(random() * (2 * spec.crop + 1)) - spec.crop;
    const dx = Math.floor(random() * (2 * spec.crop + 1)) - spec.crop;
    const flip = spec.flip && random() < 0.5;
    const image = pixels.subarray(i * size, (i + 1) * size);
    source.set(image);
    for (let y = 0; y < height; y++) {
      const sy = y + dy;
      for (let x = 0; x < width; x++) {
        const sx = (flip ? width - 1 - x : x) + dx;
        const to = (y * width + x) * channels;
        const inside = sy >= 0 && sy < height && sx >= 0 && sx < width;
        const from = (sy * width + sx) * channels;
        for (let c = 0; c < channels; c++) image[to + c] = inside ? source[from + c] : 0;
      }
    }
  }
}

/** `augmentBatch` with the generator of batch (`seed`, `epoch`, `step`). */
export function augmentSeeded(
  pixels: Float32Array,
  shape: readonly [number, number, number, number],
  spec: AugmentSpec,
  seed: number,
  epoch: number,
  step: number,
): void {
  augmentBatch(pixels, shape[0], shape[1], shape[2], shape[3], spec, mulberry32(batchSeed(seed, epoch, step)));
}
