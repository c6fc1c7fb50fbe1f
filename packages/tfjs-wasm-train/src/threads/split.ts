/**
 * `n` items cut into at most `parts` contiguous slices as even as can be
 * (the first ones one longer), as [start, count]; no empty slice.
 */
export function slices(n: number, parts: number): Array<[start: number, count: number]> {
  const k = Math.max(1, Math.min(parts, n));
  const base = Math.floor(n / k);
  const extra = n % k;
  const out: Array<[number, number]> = [];
  for (let t = 0, start = 0; t < k; t++) {
    const count = base + (t < extra ? 1 : 0);
    out.push([start, count]);
    start += count;
  }
  return out;
}
