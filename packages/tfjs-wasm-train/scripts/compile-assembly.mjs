// The one way this package compiles AssemblyScript to WebAssembly: SIMD, no
// runtime, no assertions, the memory imported (the backend's heap). Used by
// build-simd.mjs for the kernels and by measure-gemm.mjs for the GEMM alone.
import asc from 'assemblyscript/asc';

/** The wasm bytes of `entry`, importing a shared memory when `shared` (a threaded backend's heap). */
export async function compileAssembly(entry, { shared = false } = {}) {
  let wasm = null;
  const { error, stderr } = await asc.main(
    [
      entry,
      '--outFile',
      'out.wasm',
      '-O3',
      '--enable',
      'simd',
      '--runtime',
      'stub',
      '--noAssert',
      '--use',
      'abort=',
      '--importMemory',
      ...(shared ? ['--enable', 'threads', '--sharedMemory', '--maximumMemory', '65536'] : []),
    ],
    {
      writeFile: (name, contents) => {
        if (name.endsWith('out.wasm')) wasm = contents;
      },
    },
  );
  if (error) {
    console.error(stderr.toString());
    throw error;
  }
  return wasm;
}
