// GFLOP/s of the SIMD module's matrix product (assembly/gemm.ts), the engine
// of every convolution here, on this CPU: the ceiling of 128-bit
// WebAssembly SIMD (four float32 lanes, separate multiply and add) that the
// Winograd and patch kernels multiply into. Compiles gemm.ts on its own, so
// it times the product alone, at the shapes the ResNets' convolutions give it.
//
//   node packages/tfjs-wasm-train/scripts/measure-gemm.mjs
import { compileAssembly } from './compile-assembly.mjs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const wasm = await compileAssembly(join(root, 'assembly/gemm.ts'));
const memory = new WebAssembly.Memory({ initial: 512 });
const { gemm } = new WebAssembly.Instance(new WebAssembly.Module(wasm), { env: { memory } }).exports;
const f = new Float32Array(memory.buffer);
for (let i = 0; i < f.length; i++) f[i] = Math.sin(i);
// m x k times k x n: Winograd's per-element products (tiles x channels), and a larger one.
console.log('m     n    k     GFLOP/s (best of 5)');
for (const [m, n, k] of [
  [256, 16, 16],
  [256, 32, 32],
  [256, 64, 64],
  [512, 128, 128],
]) {
  const [a, b, c] = [1 << 20, 8 << 20, 16 << 20];
  const reps = Math.ceil(4e8 / (2 * m * n * k));
  for (let i = 0; i < reps; i++) gemm(m, n, k, a, k, 1, b, n, c, n, false);
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) gemm(m, n, k, a, k, 1, b, n, c, n, false);
    best = Math.min(best, performance.now() - t0);
  }
  const rate = (2 * m * n * k * reps) / best / 1e6;
  console.log(`${String(m).padEnd(6)}${String(n).padEnd(5)}${String(k).padEnd(6)}${rate.toFixed(1)}`);
}
