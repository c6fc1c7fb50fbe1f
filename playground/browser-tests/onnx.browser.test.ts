import * as tf from '@tensorflow/tfjs';
import { fromBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema } from 'onnx-buf';
import { beforeAll, describe, expect, it } from 'vitest';
import { resNet, toOnnx } from 'tfjs-skip';

// The ONNX export in the browser: toOnnx needs no Node API, reads the weights
// with data() and encodes with @bufbuild/protobuf. (Running the file is for
// ONNX Runtime in the Node and Python suites.)
beforeAll(async () => {
  if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend did not initialise');
});

describe('toOnnx in Chromium', () => {
  it('returns the bytes of an opset-17 model holding the TF.js weights', async () => {
    const model = resNet({ depth: 8, inputShape: [8, 8, 3], classes: 4 });
    const bytes = await toOnnx(model);
    expect(bytes).toBeInstanceOf(Uint8Array);
    const onnx = fromBinary(ModelProtoSchema, bytes);
    expect(onnx.opsetImport.map((o) => Number(o.version))).toEqual([17]);
    expect(onnx.graph!.node.some((n) => n.opType === 'Conv')).toBe(true);
    const dense = model.weights.find((w) => w.name.endsWith('kernel') && w.shape.length === 2)!;
    const initializer = onnx.graph!.initializer.find((t) => t.name === dense.name)!;
    expect(initializer.dims.map(Number)).toEqual(dense.shape);
    expect(initializer.floatData).toEqual(Array.from(await dense.read().data()));
    model.dispose();
  });
});
