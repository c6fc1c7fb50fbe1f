/**
 * Float32Arrays of the native kernels' outputs, recycled once their last
 * tensor is disposed. A fresh large typed array costs a page fault per 4 KiB
 * page on first write (on some machines more than the kernel that fills it:
 * 30 ms against 3 ms for a 6 MB ReLU, measured on the development machine),
 * and a training step makes the same shapes every time.
 *
 * An array is only recycled when this pool made it, every tensor that holds
 * it is gone, and it never left the backend (a `dataSync()` or `data()`
 * hands the array itself to the caller, who may keep it: such an array is
 * marked and left to the garbage collector).
 */
export class BufferPool {
  private readonly free = new Map<number, Float32Array[]>();
  private readonly owned = new WeakMap<Float32Array, { holders: number; escaped: boolean }>();
  private pooledBytes = 0;

  /** @param capacityBytes the most bytes kept for reuse; past it, freed arrays go to the garbage collector. */
  constructor(private readonly capacityBytes: number) {}

  /** An array of `length` floats, recycled or new; its contents are undefined (the kernel writes every value). */
  take(length: number): Float32Array {
    const array = this.free.get(length)?.pop();
    if (array !== undefined) {
      this.pooledBytes -= array.byteLength;
      this.owned.set(array, { holders: 0, escaped: false });
      return array;
    }
    const fresh = new Float32Array(length);
    this.owned.set(fresh, { holders: 0, escaped: false });
    return fresh;
  }

  /** A tensor now holds `values`. */
  held(values: unknown): void {
    const entry = values instanceof Float32Array ? this.owned.get(values) : undefined;
    if (entry !== undefined) entry.holders++;
  }

  /** `values` were handed out of the backend: never recycle them. */
  escaped(values: unknown): void {
    const entry = values instanceof Float32Array ? this.owned.get(values) : undefined;
    if (entry !== undefined) entry.escaped = true;
  }

  /** A tensor holding `values` is gone; the last one returns them to the pool. */
  released(values: unknown): void {
    if (!(values instanceof Float32Array)) return;
    const entry = this.owned.get(values);
    if (entry === undefined || --entry.holders > 0 || entry.escaped) return;
    this.owned.delete(values);
    if (this.pooledBytes + values.byteLength > this.capacityBytes) return;
    const list = this.free.get(values.length) ?? [];
    list.push(values);
    this.free.set(values.length, list);
    this.pooledBytes += values.byteLength;
  }

  /** Bytes held for reuse. */
  get bytes(): number {
    return this.pooledBytes;
  }

  /** Drops every array held for reuse. */
  clear(): void {
    this.free.clear();
    this.pooledBytes = 0;
  }
}
