import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { CONV_BATCH_NORM, CONV_BATCH_NORM_GRAD } from 'tfjs-skip';
import { type OnednnKernelArgs, f32, nativeInputs, onednnKernel, output } from '../backend.js';
import { addon } from '../native.js';
import { geometry } from './geometry.js';

/** The attributes of {@link CONV_BATCH_NORM} (and, with `residual`, of its gradient). */
interface Attrs {
  strides: [number, number] | number;
  pad: 'same' | 'valid';
  varianceEpsilon: number;
  activation: 'relu' | 'linear';
}

type Forward = OnednnKernelArgs<
  { x: TensorInfo; filter: TensorInfo; scale: TensorInfo; offset: TensorInfo; residual?: TensorInfo },
  Attrs
>;
type Backward = OnednnKernelArgs<
  {
    dy: TensorInfo;
    x: TensorInfo;
    filter: TensorInfo;
    z: TensorInfo;
    mean: TensorInfo;
    variance: TensorInfo;
    scale: TensorInfo;
    y: TensorInfo;
  },
  Attrs & { residual: boolean }
>;

/**
 * The convolution's 18-integer geometry, after checking every input against
 * it: float32, x NHWC, filter HWIO, the per-channel vectors and the
 * output-shaped tensors of its output channels and shape. A TypeError that
 * names what was received otherwise.
 */
function checkedGeometry(
  kernel: string,
  x: TensorInfo,
  filter: TensorInfo,
  attrs: Attrs,
  perChannel: Record<string, TensorInfo>,
  outputShaped: Record<string, TensorInfo | undefined>,
): number[] {
  const fail = (what: string): never => {
    throw new TypeError(`${kernel}: ${what}.`);
  };
  if (x.shape.length !== 4 || filter.shape.length !== 4 || !nativeInputs(x, filter)) {
    fail(
      `expected float32 x [batch, height, width, channels] and filter [height, width, in, out] with no empty axis; ` +
        `received x ${x.dtype} [${x.shape}], filter ${filter.dtype} [${filter.shape}]`,
    );
  }
  if (x.shape[3] !== filter.shape[2]) {
    fail(`filter [${filter.shape}] takes ${filter.shape[2]} input channels; x [${x.shape}] has ${x.shape[3]}`);
  }
  if (attrs.pad !== 'same' && attrs.pad !== 'valid')
    fail(`pad must be 'same' or 'valid'; received ${JSON.stringify(attrs.pad)}`);
  if (attrs.activation !== 'relu' && attrs.activation !== 'linear') {
    fail(`activation must be 'relu' or 'linear'; received ${JSON.stringify(attrs.activation)}`);
  }
  if (!(attrs.varianceEpsilon >= 0)) fail(`varianceEpsilon must be a number >= 0; received ${attrs.varianceEpsilon}`);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
  );
  const g = geometry(info);
  if (g === null)
    fail(`oneDNN cannot take the convolution of x [${x.shape}] by filter [${filter.shape}] with pad ${attrs.pad}`);
  for (const [name, t] of Object.entries(perChannel)) {
    if (!nativeInputs(t) || t.shape.join() !== `${info.outChannels}`) {
      fail(`'${name}' must be float32 [${info.outChannels}] (the output channels); received ${t.dtype} [${t.shape}]`);
    }
  }
  for (const [name, t] of Object.entries(outputShaped)) {
    if (t !== undefined && (t.dtype !== 'float32' || t.shape.join() !== info.outShape.join())) {
      fail(
        `'${name}' must be float32 of the convolution's output shape [${info.outShape}]; ` +
          `received ${t.dtype} [${t.shape}]`,
      );
    }
  }
  return g!;
}

/** [y, mean, variance, z] of a convolution, batch norm, residual add and activation, in one native call. */
function convBatchNorm({ backend, inputs, attrs }: Forward): TensorInfo[] {
  const { x, filter, scale, offset, residual } = inputs;
  const g = checkedGeometry(CONV_BATCH_NORM, x, filter, attrs, { scale, offset }, { residual });
  const outShape = [g[0]!, g[4]!, g[5]!, g[6]!];
  const [y, yValues] = output(backend, outShape);
  const [mean, meanValues] = output(backend, [g[6]!]);
  const [variance, varianceValues] = output(backend, [g[6]!]);
  const [z, zValues] = output(backend, outShape);
  addon().convBatchNorm(
    g,
    attrs.varianceEpsilon,
    attrs.activation,
    f32(backend, x),
    f32(backend, filter),
    f32(backend, scale),
    f32(backend, offset),
    residual === undefined ? null : f32(backend, residual),
    zValues,
    yValues,
    meanValues,
    varianceValues,
  );
  return [y, mean, variance, z];
}

/** [dx, dfilter, dscale, doffset] (and dresidual) of {@link convBatchNorm}, in one native call. */
function convBatchNormGrad({ backend, inputs, attrs }: Backward): TensorInfo[] {
  const { dy, x, filter, z, mean, variance, scale, y } = inputs;
  const g = checkedGeometry(CONV_BATCH_NORM_GRAD, x, filter, attrs, { mean, variance, scale }, { dy, z, y });
  const [dx, dxValues] = output(backend, x.shape);
  const [dfilter, dfilterValues] = output(backend, filter.shape);
  const [dscale, dscaleValues] = output(backend, [g[6]!]);
  const [doffset, doffsetValues] = output(backend, [g[6]!]);
  const dresidual = attrs.residual ? output(backend, dy.shape) : null;
  addon().convBatchNormGrad(
    g,
    attrs.varianceEpsilon,
    attrs.activation,
    f32(backend, dy),
    f32(backend, x),
    f32(backend, filter),
    f32(backend, z),
    f32(backend, mean),
    f32(backend, variance),
    f32(backend, scale),
    f32(backend, y),
    dxValues,
    dfilterValues,
    dscaleValues,
    doffsetValues,
    dresidual === null ? null : dresidual[1],
  );
  return dresidual === null ? [dx, dfilter, dscale, doffset] : [dx, dfilter, dscale, doffset, dresidual[0]];
}

export const convBatchNormConfig = onednnKernel(CONV_BATCH_NORM, convBatchNorm);
export const convBatchNormGradConfig = onednnKernel(CONV_BATCH_NORM_GRAD, convBatchNormGrad);
