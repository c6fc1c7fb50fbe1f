import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { activate, describeBackend as describe } from 'tfjs-skip-backends';
import 'tfjs-wasm-train';
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

/** One line on the backend in use (tfjs-skip-backends' words), with the WebGPU adapter found here. */
export function describeBackend(name: Backend): string {
  return describe(name, webgpuAdapterName);
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
