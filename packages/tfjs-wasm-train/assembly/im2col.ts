// The filter gradient of any convolution (stride, padding, kernel size) as
// one matrix product per filter tap, for the shapes Winograd does not serve:
// dW[kh, kw] (ci x co) = X_tap^T (ci x P) * dy (P x co), where P runs over
// batch and output positions and X_tap holds the input pixel each output
// position sees through tap (kh, kw).
import { gemm } from './gemm';

/**
 * dst[p, c] = x[b, oh * sh + kh - padTop, ow * sw + kw - padLeft, c] for
 * p = (b, oh, ow), or 0 outside the image: the input pixels under one tap.
 */
function gatherTap(
  x: usize, n: i32, h: i32, w: i32, c: i32, oh: i32, ow: i32,
  sh: i32, sw: i32, kh: i32, kw: i32, padTop: i32, padLeft: i32, dst: usize,
): void {
  const rowBytes = <usize>c << 2;
  const vecBytes = <usize>(c & ~3) << 2;
  let out = dst;
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < oh; i++) {
      const yy = i * sh + kh - padTop;
      for (let j = 0; j < ow; j++) {
        const xx = j * sw + kw - padLeft;
        if (yy < 0 || yy >= h || xx < 0 || xx >= w) {
          memory.fill(out, 0, rowBytes);
        } else {
          const src = x + (<usize>(((b * h + yy) * w + xx) * c) << 2);
          let k: usize = 0;
          for (; k < vecBytes; k += 16) v128.store(out + k, v128.load(src + k));
          for (; k < rowBytes; k += 4) store<f32>(out + k, load<f32>(src + k));
        }
        out += rowBytes;
      }
    }
  }
}

/**
 * dW [kh, kw, ci, co] of a convolution with strides (sh, sw) and the given
 * top/left padding; co a multiple of 4. `scratch` holds one tap's pixels:
 * n * oh * ow * ci floats.
 */
export function conv2dFilterGrad(
  x: usize, n: i32, h: i32, w: i32, ci: i32,
  dy: usize, oh: i32, ow: i32, co: i32,
  fh: i32, fw: i32, sh: i32, sw: i32, padTop: i32, padLeft: i32,
  dw: usize, scratch: usize,
): void {
  const p = n * oh * ow;
  for (let kh = 0; kh < fh; kh++) {
    for (let kw = 0; kw < fw; kw++) {
      const tap = dw + (<usize>((kh * fw + kw) * ci * co) << 2);
      if (p == 0) {
        memory.fill(tap, 0, <usize>(ci * co) << 2);
        continue;
      }
      gatherTap(x, n, h, w, ci, oh, ow, sh, sw, kh, kw, padTop, padLeft, scratch);
      gemm(ci, co, p, scratch, 1, ci, dy, co, tap, co, false);
    }
  }
}
