import { describe, expect, it } from 'vitest';
import { mulberry32 } from 'tfjs-skip-data';
import {
  augmentBatch,
  augmentSeeded,
  augmentText,
  batchSeed,
  defaultAugment,
  parseAugment,
  type AugmentSpec,
} from './augment.js';

const [N, H, W, C] = [16, 6, 5, 2];

/** Distinct, non-zero pixel values, so every shifted or mirrored copy is recognisable. */
function images(): Float32Array {
  return Float32Array.from({ length: N * H * W * C }, (_, i) => i + 1);
}

/** Image `i` of `source` shifted by (dy, dx) after an optional mirror, zeros coming in. */
function moved(source: Float32Array, i: number, dy: number, dx: number, flip: boolean): number[] {
  const out: number[] = [];
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const sy = y + dy;
      const sx = (flip ? W - 1 - x : x) + dx;
      for (let c = 0; c < C; c++)
        out.push(sy >= 0 && sy < H && sx >= 0 && sx < W ? source[((i * H + sy) * W + sx) * C + c] : 0);
    }
  }
  return out;
}

function augmented(spec: AugmentSpec, seed: number): Float32Array {
  const pixels = images();
  augmentBatch(pixels, N, H, W, C, spec, mulberry32(seed));
  return pixels;
}

describe('augmentBatch', () => {
  it(
    'makes each image a shifted (within the padding) and possibly mirrored copy of the same image: ' +
      'labels stay right',
    () => {
      const source = images();
      const out = augmented({ crop: 2, flip: true }, 7);
      const seen = new Set<string>();
      for (let i = 0; i < N; i++) {
        const image = Array.from(out.subarray(i * H * W * C, (i + 1) * H * W * C));
        const matches = [];
        for (let dy = -2; dy <= 2; dy++)
          for (let dx = -2; dx <= 2; dx++)
            for (const flip of [false, true]) {
              if (moved(source, i, dy, dx, flip).every((v, k) => v === image[k])) matches.push(`${dy},${dx},${flip}`);
            }
        expect(matches.length, `image ${i} is not a moved copy of source image ${i}`).toBeGreaterThan(0);
        seen.add(matches[0]);
      }
      expect(seen.size).toBeGreaterThan(4); // the offsets and flips vary across the batch
    },
  );

  it('is seeded: the same seed gives the same batch, another seed another batch', () => {
    const spec = { crop: 2, flip: true };
    expect(augmented(spec, 3)).toEqual(augmented(spec, 3));
    expect(augmented(spec, 3)).not.toEqual(augmented(spec, 4));
  });

  it('flip alone mirrors about half of the images and moves nothing else; none changes nothing', () => {
    const source = images();
    const out = augmented({ crop: 0, flip: true }, 11);
    let mirrored = 0;
    for (let i = 0; i < N; i++) {
      const image = Array.from(out.subarray(i * H * W * C, (i + 1) * H * W * C));
      const flipped = moved(source, i, 0, 0, true).every((v, k) => v === image[k]);
      if (!flipped) expect(image).toEqual(moved(source, i, 0, 0, false));
      mirrored += flipped ? 1 : 0;
    }
    expect(mirrored).toBeGreaterThan(2);
    expect(mirrored).toBeLessThan(N - 2);
    expect(augmented({ crop: 0, flip: false }, 11)).toEqual(source);
  });

  it('batchSeed gives each (seed, epoch, step) its own stream', () => {
    const seeds = new Set<number>();
    for (const seed of [1, 2])
      for (let epoch = 1; epoch <= 3; epoch++)
        for (let step = 0; step < 50; step++) seeds.add(batchSeed(seed, epoch, step));
    expect(seeds.size).toBe(2 * 3 * 50);
    const a = images();
    const b = images();
    augmentSeeded(a, [N, H, W, C], { crop: 1, flip: true }, 1, 2, 3);
    augmentSeeded(b, [N, H, W, C], { crop: 1, flip: true }, 1, 2, 3);
    expect(a).toEqual(b);
  });
});

describe('parseAugment', () => {
  it('reads none, crop, crop:PAD and flip, with per-size default padding', () => {
    expect(parseAugment('none', 28)).toEqual({ crop: 0, flip: false });
    expect(parseAugment('crop,flip', 32)).toEqual({ crop: 4, flip: true });
    expect(parseAugment('crop,flip', 28)).toEqual({ crop: 2, flip: true });
    expect(parseAugment('crop:3', 28)).toEqual({ crop: 3, flip: false });
    expect(parseAugment('flip', 28)).toEqual({ crop: 0, flip: true });
    expect(defaultAugment(32)).toEqual({ crop: 4, flip: true });
    expect(augmentText({ crop: 4, flip: true })).toBe('crop:4,flip');
    expect(augmentText({ crop: 0, flip: false })).toBe('none');
  });

  it('refuses anything else, quoting it', () => {
    expect(() => parseAugment('rotate', 28)).toThrow(/received "rotate"/);
  });
});
