/** Guards shared by the convolution gradient kernels; each names what it received. */

export function assertNHWC(kernelName: string, dataFormat: unknown): void {
  if (dataFormat !== undefined && dataFormat !== 'NHWC' && dataFormat !== 'channelsLast') {
    throw new Error(
      `${kernelName} on wasm (tfjs-wasm-train) supports dataFormat 'NHWC' only; received ` +
        `'${typeof dataFormat === 'string' ? dataFormat : JSON.stringify(dataFormat)}'. ` +
        `Transpose the input to NHWC.`,
    );
  }
}

export function assertNoDilation(kernelName: string, dilations: unknown): void {
  if (dilations === undefined || dilations === null) return;
  const d = typeof dilations === 'number' ? [dilations, dilations] : (dilations as number[]);
  if (!Array.isArray(d) || d.some((v) => v !== 1)) {
    throw new Error(
      `${kernelName} on wasm (tfjs-wasm-train) supports dilations 1 only; received ${JSON.stringify(dilations)}.`,
    );
  }
}

export function assertFloat32(kernelName: string, name: string, dtype: string, shape: readonly number[]): void {
  if (dtype !== 'float32') {
    throw new Error(
      `${kernelName} on wasm (tfjs-wasm-train) needs float32 '${name}'; received ${dtype} of shape [${shape}].`,
    );
  }
}
