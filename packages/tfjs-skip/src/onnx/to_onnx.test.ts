import * as tf from '@tensorflow/tfjs';
import { fromBinary } from '@bufbuild/protobuf';
import { ModelProtoSchema, type ModelProto } from 'onnx-buf';
import { describe, expect, it } from 'vitest';
import { OnnxExportError } from '../errors.js';
import { SkipConnection } from '../skip_connection.js';
import { resNet } from '../zoo/generated/models.js';
import { ONNX_IR_VERSION, ONNX_OPSET, toOnnx } from './to_onnx.js';

async function exported(model: tf.LayersModel, options = {}): Promise<ModelProto> {
  return fromBinary(ModelProtoSchema, await toOnnx(model, options));
}

const opTypes = (m: ModelProto) => m.graph!.node.map((n) => n.opType);
const dims = (m: ModelProto, which: 'input' | 'output') =>
  m.graph![which].map((v) => {
    const t = v.type!.value;
    return t.case === 'tensorType' ? t.value.shape!.dim.map((d) => d.value.value) : [];
  });

/** ResNet-8 on 8x8x3 images with the CLI's probabilities head, as `tfjs-skip train` saves it. */
function resnetWithHead(): tf.LayersModel {
  const model = resNet({ depth: 8, inputShape: [8, 8, 3], classes: 4 });
  model.add(tf.layers.softmax({ name: 'probabilities' }));
  return model;
}

describe('toOnnx', () => {
  it('states opset 17 (IR 8) and tfjs-skip as the producer', async () => {
    const m = await exported(resnetWithHead());
    expect(m.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', ONNX_OPSET]]);
    expect(ONNX_OPSET).toBe(17);
    expect(Number(m.irVersion)).toBe(ONNX_IR_VERSION);
    expect(m.producerName).toBe('tfjs-skip');
  });

  it('keeps the NHWC input with a symbolic batch, and names inputs and outputs after their layers', async () => {
    const model = resnetWithHead();
    const m = await exported(model);
    expect(m.graph!.input.map((v) => v.name)).toEqual([model.inputs[0]!.sourceLayer.name]);
    expect(dims(m, 'input')).toEqual([['batch', 8n, 8n, 3n]]);
    expect(m.graph!.output.map((v) => v.name)).toEqual(['probabilities']);
    expect(dims(m, 'output')).toEqual([['batch', 4n]]);
    expect(m.graph!.node.at(-1)!.output).toEqual(['probabilities']);
  });

  it('stays lean: one Transpose (NHWC -> NCHW at the input) in a whole ResNet, none with NCHW inputs', async () => {
    const nhwc = await exported(resnetWithHead());
    expect(opTypes(nhwc).filter((op) => op === 'Transpose')).toHaveLength(1);
    expect(nhwc.graph!.node[0]!.opType).toBe('Transpose');
    const nchw = await exported(resnetWithHead(), { layout: 'channelsFirst', batchSize: 2 });
    expect(opTypes(nchw)).not.toContain('Transpose');
    expect(dims(nchw, 'input')).toEqual([[2n, 3n, 8n, 8n]]);
  });

  it('names initializers after the TF.js weights and nodes after their layers', async () => {
    const model = resnetWithHead();
    const m = await exported(model);
    const initializers = m.graph!.initializer.map((t) => t.name);
    expect(initializers).toEqual(expect.arrayContaining(model.weights.map((w) => w.name)));
    const skip = model.layers.find((l) => l instanceof SkipConnection)!;
    const conv = (skip as SkipConnection).mainPath[0]!;
    expect(m.graph!.node.map((n) => n.name)).toContain(`${skip.name}/${conv.name}/Conv`);
    // Every name is unique in the graph.
    const names = m.graph!.node.flatMap((n) => n.output);
    expect(new Set([...names, ...initializers]).size).toBe(names.length + initializers.length);
  });

  it('writes each weight once, as float32 (the file is about 4 bytes a parameter)', async () => {
    const model = resnetWithHead();
    const bytes = await toOnnx(model);
    expect(bytes.length).toBeGreaterThan(model.countParams() * 4);
    expect(bytes.length).toBeLessThan(model.countParams() * 4 * 1.2 + 20_000);
  });

  it('refuses a layer without a handler, naming it, its class, its path, and the fix', async () => {
    const lstm = tf.layers.lstm({ units: 3, returnSequences: true, name: 'memory' });
    const model = tf.sequential({
      name: 'seq',
      layers: [
        tf.layers.inputLayer({ inputShape: [4, 5] }),
        new SkipConnection({ name: 'block', mainPath: [tf.layers.dense({ units: 5 }), lstm], how: 'concat' }),
      ],
    });
    const refusal = toOnnx(model);
    await expect(refusal).rejects.toThrow(OnnxExportError);
    await expect(refusal).rejects.toThrow(
      new RegExp(
        'cannot export layer "memory" \\(LSTM\\) at seq/block/mainPath\\[1\\] to ONNX: ' +
          "tfjs-skip's ONNX export has no handler for LSTM; to fix it, replace it by layers it exports " +
          '\\(.*Conv2D.*\\), or add a handler for LSTM in packages/tfjs-skip/src/onnx/handlers/',
      ),
    );
  });

  it('refuses a setting its handler does not translate, quoting it', async () => {
    const model = tf.sequential({
      layers: [tf.layers.inputLayer({ inputShape: [4, 4, 2] }), tf.layers.batchNormalization({ axis: 1, name: 'bn' })],
    });
    await expect(toOnnx(model)).rejects.toThrow(
      /"bn" \(BatchNormalization\) .*it normalizes axis 1 of a rank-4 input.*to fix it, normalize the last/,
    );
  });

  it('refuses what is not a built model, and bad options, quoting them', async () => {
    await expect(toOnnx({} as tf.LayersModel)).rejects.toThrow(
      /takes a built tf.LayersModel.*an object of class Object/,
    );
    await expect(toOnnx(tf.sequential())).rejects.toThrow(/which has no inputs yet/);
    const model = resnetWithHead();
    await expect(toOnnx(model, { layout: 'NHWC' as 'channelsLast' })).rejects.toThrow(/received "NHWC"/);
    await expect(toOnnx(model, { batchSize: 0 })).rejects.toThrow(
      /batchSize must be a positive integer, but received 0/,
    );
  });

  it('reads the weights without leaking tensors', async () => {
    const model = resnetWithHead();
    const before = tf.memory().numTensors;
    await toOnnx(model);
    expect(tf.memory().numTensors).toBe(before);
  });
});
