import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs';
import { activate, describeBackend as describe } from 'tfjs-skip-backends';
import { useWasmThreads, wasmThreads } from 'tfjs-wasm-train';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
// Registers the webgpu backend; it initialises only when chosen.
import '@tensorflow/tfjs-backend-webgpu';

/**
 * The backends the page offers, in the order it tries them: webgl first (a
 * GPU backend nearly every browser has), then WebGPU where the browser
 * exposes an adapter, then wasm and cpu.
 */
export const BACKENDS = ['webgl', 'webgpu', 'wasm', 'cpu'] as const;
export type Backend = (typeof BACKENDS)[number];

// The build copies the three binaries into dist/assets/ under hashed names.
setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimdUrl,
});

export function isBackend(name: unknown): name is Backend {
  return typeof name === 'string' && (BACKENDS as readonly string[]).includes(name);
}

/** One line on the backend in use (tfjs-skip-backends' words), with the WebGPU adapter and wasm's threads. */
export function describeBackend(name: Backend): string {
  const { threads, fallback } = wasmThreads();
  return describe(name, webgpuAdapterName, { threads, threadsNote: fallback });
}

/**
 * Has the wasm backend start on `threads` threads (default: every core,
 * `navigator.hardwareConcurrency`), with tfjs-wasm-train's kernels split
 * across them; call it before the wasm backend first starts. It needs a
 * cross-origin isolated page (the COOP/COEP headers of isolation.ts); in one
 * that is not, wasm runs on one thread and `describeBackend` says why.
 * Returns null, or why `threads` was refused (every core is used instead).
 */
export async function startWasmThreads(threads?: number): Promise<string | null> {
  try {
    await useWasmThreads({ ...(threads === undefined ? {} : { threads }), wasmBinary: wasmSimdUrl });
    return null;
  } catch (e) {
    if (tf.engine().registry['wasm'] !== undefined) throw e; // started already: nothing to fall back to
    await useWasmThreads({ wasmBinary: wasmSimdUrl });
    return (e as Error).message;
  }
}

/**
 * Makes `name` the current backend, or says why it cannot be: `null` on
 * success, else the reason. A backend whose initialisation failed stays
 * registered in TF.js but unusable, so the page falls back explicitly.
 */
export async function switchBackend(name: Backend): Promise<string | null> {
  if (name === 'webgpu') {
    const missing = await webgpuMissing();
    if (missing != null) return missing;
  }
  return activate(name);
}

/** Vendor and architecture of the WebGPU adapter, once `webgpuMissing` found one. */
let webgpuAdapterName = '';

/** Why WebGPU cannot run here (no `navigator.gpu`, or no adapter), or null when it can. */
export async function webgpuMissing(): Promise<string | null> {
  if (!('gpu' in navigator)) return 'this browser has no WebGPU (navigator.gpu)';
  const adapter = await navigator.gpu.requestAdapter().catch(() => null);
  if (adapter == null) return 'this browser exposes WebGPU but no adapter (no GPU it can use)';
  // `GPUAdapter.info` (Chromium 127+) is newer than the installed @webgpu/types.
  const info = (adapter as unknown as { info?: { vendor?: string; architecture?: string } }).info;
  webgpuAdapterName = [info?.vendor, info?.architecture].filter((s) => s).join(' ');
  return null;
}

/** Brings up `wanted`, or the first of the others that works; says what happened. */
export async function chooseBackend(wanted: Backend): Promise<{ name: Backend; note: string }> {
  const problems: string[] = [];
  for (const name of [wanted, ...BACKENDS.filter((b) => b !== wanted)]) {
    const problem = await switchBackend(name);
    if (problem == null) {
      return {
        name,
        note:
          problems.length === 0
            ? `using ${describeBackend(name)}`
            : `using ${describeBackend(name)}; ${problems.join('; ')}`,
      };
    }
    problems.push(problem);
  }
  throw new Error(`no backend could be brought up: ${problems.join('; ')}`);
}
