import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { importMemory } from './import_memory.js';

const require = createRequire(import.meta.url);
const backendBinary = readFileSync(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'));

/** A module that defines one memory of `pages` pages and exports `size()` (memory.size) and the memory. */
function moduleWithMemory(pages: number): Uint8Array {
  // prettier-ignore
  return Uint8Array.of(
    0, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    1, 5, 1, 0x60, 0, 1, 0x7f, // type: () -> i32
    3, 2, 1, 0, // one function of type 0
    5, 3, 1, 0, pages, // memory: no maximum, `pages` initial
    7, 17, 2, 4, 0x73, 0x69, 0x7a, 0x65, 0, 0, 6, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 2, 0, // export size, memory
    10, 6, 1, 4, 0, 0x3f, 0, 0x0b, // code: memory.size
  );
}

describe('importMemory', () => {
  it('turns a defined memory into an imported shared one, leaving the code as it was', () => {
    const { bytes, initialPages } = importMemory(moduleWithMemory(3), {
      module: 'host',
      name: 'heap',
      maximumPages: 16,
      shared: true,
    });
    expect(initialPages).toBe(3);
    const module = new WebAssembly.Module(bytes);
    expect(WebAssembly.Module.imports(module)).toEqual([{ module: 'host', name: 'heap', kind: 'memory' }]);
    const memory = new WebAssembly.Memory({ initial: 5, maximum: 16, shared: true });
    const { exports } = new WebAssembly.Instance(module, { host: { heap: memory } });
    expect((exports.size as () => number)()).toBe(5); // the module sees the memory it was given
    expect(exports.memory).toBe(memory);
    // An ordinary memory no longer fits the import.
    expect(
      () => new WebAssembly.Instance(module, { host: { heap: new WebAssembly.Memory({ initial: 5 }) } }),
    ).toThrow();
  });

  it("rewrites tfjs-backend-wasm's SIMD binary so that it runs on a shared heap it is given", () => {
    const { bytes, initialPages } = importMemory(backendBinary, {
      module: 'm',
      name: 'memory',
      maximumPages: 65536,
      shared: true,
    });
    const module = new WebAssembly.Module(bytes);
    expect(WebAssembly.Module.imports(module).filter((i) => i.kind === 'memory')).toEqual([
      { module: 'm', name: 'memory', kind: 'memory' },
    ]);
    expect(WebAssembly.Module.exports(module)).toContainEqual({ name: 'memory', kind: 'memory' });
    expect(initialPages).toBeGreaterThan(0);
    // Every other import and export is unchanged.
    const original = new WebAssembly.Module(backendBinary);
    expect(WebAssembly.Module.imports(module).filter((i) => i.kind !== 'memory')).toEqual(
      WebAssembly.Module.imports(original),
    );
    expect(WebAssembly.Module.exports(module)).toEqual(WebAssembly.Module.exports(original));
  });

  it('refuses what it cannot rewrite, saying what it received', () => {
    const options = { module: 'm', name: 'memory', maximumPages: 16, shared: true };
    expect(() => importMemory(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8), options)).toThrow(
      /not a WebAssembly binary \(first bytes 1,2,3,4\)/,
    );
    const imported = importMemory(moduleWithMemory(1), options).bytes;
    expect(() => importMemory(imported, options)).toThrow(/defines no memory \(does it import one already\?\)/);
    expect(() => importMemory(moduleWithMemory(20), options)).toThrow(/needs 20 pages, over the maximum of 16/);
  });
});
