import {
  simdModuleBase64,
  simdModuleConstants,
  simdModuleFunctions,
  simdModuleSharedBase64,
} from '../generated/simd_module.js';

/**
 * The exports of the SIMD kernels compiled from `assembly/` (AssemblyScript).
 * Pointers are byte offsets into the backend's wasm heap, which the module
 * imports as its own memory: it reads and writes tensors where they are.
 */
export interface SimdKernels {
  scratchBytes(ci: number, co: number, tc: number, filterGrad: boolean): number;
  /** Bytes filterTransform writes at u (U and its working space). */
  filterBytes(ci: number, co: number): number;
  filterTransform(g: number, ci: number, co: number, flip: boolean, u: number): void;
  conv3x3(
    x: number,
    n: number,
    h: number,
    w: number,
    ci: number,
    padTop: number,
    padLeft: number,
    u: number,
    co: number,
    bias: number,
    relu: boolean,
    y: number,
    oh: number,
    ow: number,
    scratch: number,
    tc: number,
  ): void;
  conv3x3Filter(
    x: number,
    n: number,
    h: number,
    w: number,
    ci: number,
    padTop: number,
    padLeft: number,
    dy: number,
    oh: number,
    ow: number,
    co: number,
    dg: number,
    scratch: number,
    tc: number,
  ): void;
  /** out (float32) = scale * column sums of x (rows x cols); acc: cols float64 of scratch. */
  columnSums(x: number, rows: number, cols: number, scale: number, out: number, acc: number): void;
  affine(x: number, rows: number, cols: number, m: number, a: number, b: number, y: number): void;
  /** Bytes of scratch conv2dPatches and conv2dPatchesInputGrad need: chunks of `rows` patches of k floats. */
  patchScratchBytes(k: number, rows: number): number;
  /** y = conv(x, g) (+ bias, relu) of any kernel size, stride and padding, by matrix products over gathered patches. */
  conv2dPatches(
    x: number,
    n: number,
    h: number,
    w: number,
    ci: number,
    g: number,
    fh: number,
    fw: number,
    sh: number,
    sw: number,
    padTop: number,
    padLeft: number,
    co: number,
    bias: number,
    relu: boolean,
    y: number,
    oh: number,
    ow: number,
    scratch: number,
    rows: number,
  ): void;
  /** dw (overwritten) of conv2dPatches' convolution: the gathered patches transposed times dy, in one product. */
  conv2dPatchesFilterGrad(
    x: number,
    n: number,
    h: number,
    w: number,
    ci: number,
    dy: number,
    oh: number,
    ow: number,
    co: number,
    fh: number,
    fw: number,
    sh: number,
    sw: number,
    padTop: number,
    padLeft: number,
    dw: number,
    scratch: number,
    rows: number,
  ): void;
  /** dx (overwritten) of conv2dPatches' convolution, from dy and gt: the filter as [co, K rounded up to 4]. */
  conv2dPatchesInputGrad(
    dy: number,
    n: number,
    oh: number,
    ow: number,
    co: number,
    gt: number,
    fh: number,
    fw: number,
    sh: number,
    sw: number,
    padTop: number,
    padLeft: number,
    dx: number,
    h: number,
    w: number,
    ci: number,
    scratch: number,
    rows: number,
  ): void;
  maxPoolGrad(
    x: number,
    n: number,
    h: number,
    w: number,
    c: number,
    dy: number,
    oh: number,
    ow: number,
    fh: number,
    fw: number,
    sh: number,
    sw: number,
    top: number,
    left: number,
    dx: number,
  ): void;
  /** dx (zeroed here) of an average pool: each dy value added over its window, then dx times `scale`. */
  avgPoolGrad(
    dy: number,
    n: number,
    oh: number,
    ow: number,
    c: number,
    fh: number,
    fw: number,
    sh: number,
    sw: number,
    top: number,
    left: number,
    scale: number,
    dx: number,
    h: number,
    w: number,
  ): void;
  /** dx = dy * a + (x - m) * b + c per channel: batch norm's input gradient on the batch's own statistics. */
  batchNormTrainDx(
    dy: number,
    x: number,
    rows: number,
    cols: number,
    m: number,
    a: number,
    b: number,
    c: number,
    dx: number,
  ): void;
  /** Per-channel sums of dy and of dy * (x - m) (float32 outputs); acc: 2 * cols float64 of scratch. */
  batchNormGradSums(
    dy: number,
    x: number,
    rows: number,
    cols: number,
    m: number,
    sumDy: number,
    sumDyXmu: number,
    acc: number,
  ): void;
  /** y[r, j] = v[j] * scale for each of `rows` rows. */
  broadcastRows(v: number, rows: number, cols: number, scale: number, y: number): void;
  /** `op`: one of CHANNEL_OPS. */
  channelBinary(op: number, x: number, rows: number, cols: number, v: number, y: number, vFirst: boolean): void;
  /** Adam's update of `count` floats (tfjs-core's formula), into outValue, outM and outV. */
  adamUpdate(
    value: number,
    m: number,
    v: number,
    g: number,
    count: number,
    beta1: number,
    beta2: number,
    oneMinusBeta1: number,
    oneMinusBeta2: number,
    epsilon: number,
    rate: number,
    c1: number,
    c2: number,
    outValue: number,
    outM: number,
    outV: number,
  ): void;
  /** y = a (op) b over `count` floats; `op`: one of CHANNEL_OPS, `pair`: one of PAIRS. */
  binary(op: number, a: number, b: number, count: number, pair: number, y: number): void;
  /** y = op(x) over `count` floats; `op`: one of UNARY_OPS (alpha: Step's value at and below zero). */
  unary(op: number, x: number, count: number, alpha: number, y: number): void;
}

/**
 * `SimdKernels` is exactly what the compiled module exports: the same names,
 * each with the module's parameter count (`simdModuleFunctions` is read off
 * the binary by scripts/build-simd.mjs). Adding, removing or changing a
 * kernel on one side only fails the type check.
 */
type Arities = { readonly [K in keyof SimdKernels]: Parameters<SimdKernels[K]>['length'] };
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const interfaceMatchesModule: Same<Arities, typeof simdModuleFunctions> = true;
void interfaceMatchesModule;

/** The op codes of `channelBinary`, as the module exports them (assembly/channelwise.ts). */
export const CHANNEL_OPS = {
  Add: simdModuleConstants.CHANNEL_ADD,
  Sub: simdModuleConstants.CHANNEL_SUB,
  Multiply: simdModuleConstants.CHANNEL_MUL,
  RealDiv: simdModuleConstants.CHANNEL_DIV,
} as const;

/** How `binary`'s operands pair up (assembly/elementwise.ts). */
export const PAIRS = {
  same: simdModuleConstants.PAIR_SAME,
  bScalar: simdModuleConstants.PAIR_B_SCALAR,
  aScalar: simdModuleConstants.PAIR_A_SCALAR,
} as const;

/** The op codes of `unary`, by the TF.js kernel each serves (assembly/elementwise.ts). */
export const UNARY_OPS = {
  Relu: simdModuleConstants.UNARY_RELU,
  Step: simdModuleConstants.UNARY_STEP,
  Square: simdModuleConstants.UNARY_SQUARE,
} as const;

/** What a kernel needs of the backend to run the SIMD kernels on its heap. */
interface EmscriptenModule {
  asm?: { memory?: unknown };
}

const decode = (base64: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
/** The module's bytes (for an ordinary or a shared heap), decoded on first use rather than at import. */
const bytes: { plain?: Uint8Array<ArrayBuffer>; shared?: Uint8Array<ArrayBuffer> } = {};
const moduleBytes = (shared: boolean): Uint8Array<ArrayBuffer> =>
  shared ? (bytes.shared ??= decode(simdModuleSharedBase64)) : (bytes.plain ??= decode(simdModuleBase64));
const instances = new WeakMap<WebAssembly.Memory, SimdKernels>();
const pending = new WeakSet<WebAssembly.Memory>();
const failed = new WeakSet<WebAssembly.Memory>();
const compiled: { plain?: WebAssembly.Module; shared?: WebAssembly.Module } = {};
let disabled = false;

const isShared = (memory: WebAssembly.Memory): boolean =>
  typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;

/**
 * The compiled kernels for an ordinary heap or a shared one (which the
 * kernel pool's worker threads instantiate on the same memory).
 */
export function simdModule(shared: boolean): WebAssembly.Module {
  return shared
    ? (compiled.shared ??= new WebAssembly.Module(moduleBytes(true)))
    : (compiled.plain ??= new WebAssembly.Module(moduleBytes(false)));
}

/** The backend's heap as a WebAssembly.Memory, or null for a build that does not export it. */
export function heapMemory(emscripten: EmscriptenModule | undefined): WebAssembly.Memory | null {
  const memory = emscripten?.asm?.memory;
  return memory instanceof WebAssembly.Memory ? memory : null;
}

/**
 * The SIMD kernels bound to this backend's heap, or null when they cannot run
 * (yet): the first call instantiates them synchronously, which browsers refuse
 * on their main thread for modules over 4 KB; there the instance is made
 * asynchronously and the caller falls back to the backend's kernels meanwhile.
 */
export function simdFor(emscripten: EmscriptenModule | undefined): SimdKernels | null {
  if (disabled) return null;
  const memory = heapMemory(emscripten);
  if (memory === null) return null;
  const ready = instances.get(memory);
  if (ready !== undefined || pending.has(memory)) return ready ?? null;
  const imports = { env: { memory } };
  const shared = isShared(memory);
  try {
    const instance = new WebAssembly.Instance(simdModule(shared), imports);
    instances.set(memory, instance.exports as unknown as SimdKernels);
    return instances.get(memory)!;
  } catch {
    pending.add(memory);
    void WebAssembly.instantiate(moduleBytes(shared), imports).then(
      ({ instance }) => instances.set(memory, instance.exports as unknown as SimdKernels),
      () => failed.add(memory), // no SIMD: the backend's kernels go on serving
    );
    return null;
  }
}

/**
 * Turns this package's SIMD kernels on or off for every wasm backend; they
 * are on by default. Off, convolutions run on the backend's XNNPACK kernels
 * (their gradients on the ones this package composes from them) and the
 * per-channel kernels in JS or on the backend's own: useful to compare the
 * two, or to rule the fast path out.
 */
export function setSimdKernels(enabled: boolean): void {
  disabled = !enabled;
}

/**
 * Where the SIMD kernels stand on a wasm backend's heap: `ready`, `pending`
 * (a browser is instantiating them asynchronously; the backend's kernels
 * serve meanwhile), `disabled` (setSimdKernels(false)) or `unavailable` (no
 * WebAssembly SIMD).
 * Instantiates them if need be.
 */
export function simdStatus(emscripten: EmscriptenModule | undefined): 'ready' | 'pending' | 'disabled' | 'unavailable' {
  if (disabled) return 'disabled';
  if (simdFor(emscripten) !== null) return 'ready';
  const memory = heapMemory(emscripten);
  return memory !== null && pending.has(memory) && !failed.has(memory) ? 'pending' : 'unavailable';
}

/** Whether `setSimdKernels` left the SIMD kernels on. */
export function simdKernelsEnabled(): boolean {
  return !disabled;
}
