import type * as H5 from 'h5wasm';
import { refuse } from './keras_values.js';

type H5Api = (typeof H5)['h5wasm'];
type H5Fs = Awaited<(typeof H5)['ready']>['FS'];
export type H5File = H5.File;
export type H5Group = H5.Group;
export type H5Dataset = H5.Dataset;

type H5Module = Awaited<(typeof H5)['ready']>;
let loading: Promise<{ h5: H5Api; fs: H5Fs }> | undefined;

/**
 * h5wasm (the HDF5 C library compiled to WebAssembly, with its own in-memory
 * file system), loaded on first use: its ~4 MB module stays out of apps that
 * never touch a Keras file. The same ESM build runs in Node and in browsers.
 */
function h5wasm(): Promise<{ h5: H5Api; fs: H5Fs }> {
  loading ??= import('h5wasm').then(async (mod) => {
    const module = await mod.default.ready;
    module.activate_throwing_error_handler(); // HDF5 errors throw instead of printing to stderr
    loaded = mod.default;
    loadedModule = module;
    return { h5: mod.default, fs: module.FS };
  });
  return loading;
}

let loaded: H5Api | undefined;
let loadedModule: H5Module | undefined;

let counter = 0;

/**
 * Opens `bytes` as an HDF5 file in h5wasm's in-memory file system (never on
 * disk), runs `read`, and removes it again, whatever happens.
 */
export async function readHdf5<T>(bytes: Uint8Array, where: string, read: (file: H5File) => T): Promise<T> {
  const { h5, fs } = await h5wasm();
  const name = `/tfjs-skip-read-${++counter}.h5`;
  // `canOwn`: the file system keeps a view of `bytes` instead of a copy (Emscripten's MEMFS; the file is only
  // read, then unlinked): one weights-sized copy less when loading. h5wasm's types omit the option.
  (fs as unknown as { writeFile(path: string, data: Uint8Array, opts: { canOwn: boolean }): void }).writeFile(
    name,
    bytes,
    { canOwn: true },
  );
  let file: H5File | undefined;
  try {
    try {
      file = new h5.File(name, 'r');
    } catch (e) {
      refuse('bad-archive', where, `not a readable HDF5 file (truncated or corrupt): ${message(e)}`);
    }
    return read(file);
  } finally {
    file?.close();
    fs.unlink(name);
  }
}

/** Builds an HDF5 file in memory with `write` and returns its bytes. */
export async function writeHdf5(write: (file: H5File) => void): Promise<Uint8Array> {
  const { h5, fs } = await h5wasm();
  const name = `/tfjs-skip-write-${++counter}.h5`;
  try {
    const file = new h5.File(name, 'w');
    try {
      write(file);
    } finally {
      file.close();
    }
    return fs.readFile(name);
  } finally {
    if (fs.analyzePath(name, false).exists) fs.unlink(name);
  }
}

/** The group at `path`, or `undefined` when there is none (or something else is there). */
export function groupAt(file: H5Group, path: string): H5Group | undefined {
  const entity = safeGet(file, path);
  return loaded !== undefined && entity instanceof loaded.Group ? entity : undefined;
}

/** The dataset at `path`, or `undefined`. */
export function datasetAt(file: H5Group, path: string): H5Dataset | undefined {
  const entity = safeGet(file, path);
  return loaded !== undefined && entity instanceof loaded.Dataset ? entity : undefined;
}

function safeGet(group: H5Group, path: string) {
  try {
    return group.get(path);
  } catch {
    return null;
  }
}

/** Most bytes of a dataset {@link readFloat32Into} reads at once. */
const SLICE_BYTES = 4 * 2 ** 20;

/**
 * Reads a little-endian float32 dataset (its type checked by the caller)
 * into `target`, exactly its element count, in slices of at most about
 * 4 MiB along its first axis, each read by HDF5 into one buffer of
 * WebAssembly memory and copied from there into `target`. `dataset.value`
 * would read the whole dataset into WebAssembly memory, which never shrinks
 * (VGG16's 411 MB `fc1` kernel would leave 411 MB of it behind), and copy it
 * out into a new array, garbage the size of the weight once `target` has it;
 * `dataset.slice` makes such garbage per slice, which the collector reclaims
 * late enough to show in the peak (0.4x the weights of a 64 MiB model).
 */
export function readFloat32Into(dataset: H5Dataset, target: Float32Array): void {
  const module = loadedModule!; // a dataset exists: readHdf5 loaded the module
  const shape = dataset.shape ?? [];
  const rows = shape.length === 0 ? 1 : shape[0];
  if (target.length === 0) return;
  const rowLength = target.length / rows;
  const rowsPerSlice = Math.max(1, Math.floor(SLICE_BYTES / 4 / rowLength));
  const bytes = Math.min(rows, rowsPerSlice) * rowLength * 4;
  const pointer = module._malloc(bytes);
  if (pointer === 0) throw new RangeError(`h5wasm could not allocate the ${bytes} bytes to read ${dataset.path} in`);
  try {
    for (let row = 0; row < rows; row += rowsPerSlice) {
      const end = Math.min(rows, row + rowsPerSlice);
      const count = shape.map((size, axis) => BigInt(axis === 0 ? end - row : size));
      const offset = shape.map((_, axis) => BigInt(axis === 0 ? row : 0));
      const strides = shape.map(() => 1n);
      const whole = shape.length === 0;
      module.get_dataset_data(
        dataset.file_id,
        dataset.path,
        whole ? null : count,
        whole ? null : offset,
        whole ? null : strides,
        BigInt(pointer),
      );
      target.set(new Float32Array(module.HEAPU8.buffer, pointer, (end - row) * rowLength), row * rowLength);
    }
  } finally {
    module._free(pointer);
  }
}

/** A string attribute, or `undefined`. */
export function stringAttr(node: H5Group, name: string): string | undefined {
  const attrs = node.attrs;
  if (!Object.prototype.hasOwnProperty.call(attrs, name)) return undefined;
  const value = attrs[name].value;
  return typeof value === 'string' ? value : undefined;
}

/** A list-of-strings attribute (`layer_names`, `weight_names`); an empty numeric array is an empty list. */
export function stringListAttr(node: H5Group, name: string): string[] | undefined {
  const attrs = node.attrs;
  if (!Object.prototype.hasOwnProperty.call(attrs, name)) return undefined;
  const value = attrs[name].value;
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  if (ArrayBuffer.isView(value) && (value as unknown as { length: number }).length === 0) return [];
  return undefined;
}

export function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
