/**
 * `items` cut into at most `parts` contiguous slices as even as can be
 * (the first ones one longer), as [start, count]; no empty slice.
 */
export function slices(items: number, parts: number): Array<[start: number, count: number]> {
  const sliceCount = Math.max(1, Math.min(parts, items));
  const base = Math.floor(items / sliceCount);
  const extra = items % sliceCount;
  const out: Array<[number, number]> = [];
  for (let slice = 0, start = 0; slice < sliceCount; slice++) {
    const count = base + (slice < extra ? 1 : 0);
    out.push([start, count]);
    start += count;
  }
  return out;
}
