import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL_OPS, simdModule, type SimdKernels } from '../simd/module.js';
import { KernelPool } from './pool.js';

/** A shared heap with the SIMD kernels on it, and float32 views of it. */
const memory = new WebAssembly.Memory({ initial: 64, maximum: 65536, shared: true });
const local = new WebAssembly.Instance(simdModule(true), { env: { memory } }).exports as unknown as SimdKernels;
const f32 = () => new Float32Array(memory.buffer);
let pool: KernelPool;

beforeAll(async () => {
  pool = await KernelPool.start(3, memory, simdModule(true), local);
});
afterAll(() => pool.terminate());

describe('KernelPool', () => {
  it('runs one slice per thread on the shared heap, each where it is told', () => {
    const rows = 30;
    const cols = 8;
    const [x, v, y] = [0, 4096, 8192]; // byte offsets
    f32().set(
      Float32Array.from({ length: rows * cols }, (_, i) => i),
      x / 4,
    );
    f32().set(
      Float32Array.from({ length: cols }, (_, j) => 1000 * (j + 1)),
      v / 4,
    );
    f32().fill(-1, y / 4, y / 4 + rows * cols);
    const slice = (start: number, count: number) => [
      CHANNEL_OPS.Add,
      x + start * cols * 4,
      count,
      cols,
      v,
      y + start * cols * 4,
      0,
    ];
    pool.run('channelBinary', [slice(0, 10), slice(10, 10), slice(20, 10)]);
    const out = f32().subarray(y / 4, y / 4 + rows * cols);
    expect(Array.from(out)).toEqual(Array.from({ length: rows * cols }, (_, i) => i + 1000 * ((i % cols) + 1)));
  });

  it('reports a kernel that fails on a worker, naming it, and goes on serving', () => {
    const beyond = memory.buffer.byteLength + 4096; // past the heap's end: the kernel traps
    const ok = [CHANNEL_OPS.Add, 0, 1, 4, 0, 16384, 0];
    expect(() => pool.run('channelBinary', [ok, [CHANNEL_OPS.Add, beyond, 1, 4, 0, 0, 0]])).toThrow(
      /the channelBinary kernel failed on worker thread 1: .*out of bounds/i,
    );
    f32().set([1, 2, 3, 4], 0);
    f32().set([10, 20, 30, 40], 1024);
    pool.run('channelBinary', [
      [CHANNEL_OPS.Multiply, 0, 1, 4, 4096, 8192, 0],
      [CHANNEL_OPS.Add, 0, 1, 4, 4096, 12288, 0],
    ]);
    expect(Array.from(f32().subarray(2048, 2052))).toEqual([10, 40, 90, 160]);
    expect(Array.from(f32().subarray(3072, 3076))).toEqual([11, 22, 33, 44]);
  });

  it("throws the calling thread's own failure after the workers are done", () => {
    const beyond = memory.buffer.byteLength + 4096;
    expect(() => pool.run('broadcastRows', [[beyond, 1, 4, 1, beyond]])).toThrow(/out of bounds/i);
    pool.run('broadcastRows', [[4096, 1, 4, 2, 8192]]);
    expect(Array.from(f32().subarray(2048, 2052))).toEqual([20, 40, 60, 80]);
  });

  it('refuses slices it cannot run, saying why', () => {
    expect(() => pool.run('channelBinary', [[1], [2], [3], [4]])).toThrow(/got 4 slices for 3 threads/);
    expect(() => pool.run('channelBinary', [[1, 2], [3]])).toThrow(/no kernel channelBinary taking 2 arguments/);
  });

  it('needs two threads or more', async () => {
    await expect(KernelPool.start(1, memory, simdModule(true), local)).rejects.toThrow(
      /threads must be an integer of at least 2; received 1/,
    );
  });

  it('cannot run after it is terminated', async () => {
    const other = await KernelPool.start(2, memory, simdModule(true), local);
    other.terminate();
    expect(() => other.run('broadcastRows', [[4096, 1, 4, 2, 8192]])).toThrow(/after the pool was terminated/);
  });

  it('lets the process exit while its workers wait for work', async () => {
    const script = fileURLToPath(new URL('../testing/exit_with_pool.ts', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], {
      timeout: 60_000,
    });
    expect(stdout.trim()).toBe('pool of 2 threads started; exiting without terminate()');
  });
});
