// Test-only (pool.test.ts): starts a kernel pool and leaves it running; the
// process must still exit when its work is done.
import { simdModule, type SimdKernels } from '../simd/module.js';
import { KernelPool } from '../threads/pool.js';

const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });
const local = new WebAssembly.Instance(simdModule(true), { env: { memory } }).exports as unknown as SimdKernels;
const pool = await KernelPool.start(2, memory, simdModule(true), local);
pool.run('broadcastRows', [
  [0, 1, 4, 1, 64],
  [0, 1, 4, 1, 128],
]);
console.log(`pool of ${pool.threads} threads started; exiting without terminate()`);
