/** Means of `window` consecutive `[x, y]` points, each placed at its window's last x. */
export function movingAverage(
  points: ReadonlyArray<readonly [number, number]>,
  window: number,
): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i < points.length; i += window) {
    const chunk = points.slice(i, i + window);
    out.push([chunk.at(-1)?.[0] as number, chunk.reduce((s, p) => s + p[1], 0) / chunk.length]);
  }
  return out;
}
