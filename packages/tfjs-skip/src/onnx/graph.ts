import * as tf from '@tensorflow/tfjs';
import { create, toBinary } from '@bufbuild/protobuf';
import {
  AttributeProtoSchema,
  AttributeProto_AttributeType,
  ModelProtoSchema,
  NodeProtoSchema,
  TensorProtoSchema,
  TensorProto_DataType,
  ValueInfoProtoSchema,
  type AttributeProto,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
} from 'onnx-buf';

/** A float attribute (`epsilon: float(1e-3)`); a plain number is an int attribute, a number array ints. */
export interface FloatAttr {
  readonly float: number;
}
export type Attr = number | readonly number[] | string | FloatAttr;

/** Marks `value` as a float attribute. */
export function float(value: number): FloatAttr {
  return { float: value };
}

/** A tensor's element type as the graph declares it: the TF.js dtypes a layers model takes. */
export type ElementType = 'float32' | 'int32';

const ELEMENT_TYPES: Record<ElementType, TensorProto_DataType> = {
  float32: TensorProto_DataType.FLOAT,
  int32: TensorProto_DataType.INT32,
};

/** A weight whose value is read when the graph is finished: `make` runs inside `tf.tidy`. */
interface PendingWeight {
  readonly name: string;
  readonly make: () => tf.Tensor;
}

/**
 * An ONNX graph under construction: nodes in the order they were added,
 * initializers, and one namespace for node names and values (every name is
 * made unique by a `_1`, `_2`, ... suffix). Messages are the `onnx-buf`
 * types, the schema of the official `onnx.proto` compiled for
 * `@bufbuild/protobuf`; nothing here writes bytes by hand.
 */
export class OnnxGraph {
  nodes: NodeProto[] = [];
  private readonly constants: TensorProto[] = [];
  private readonly weights: PendingWeight[] = [];
  private readonly names = new Set<string>();

  /** `base`, or `base_1`, `base_2`, ... if taken; the name is then taken. */
  unique(base: string): string {
    let name = base;
    for (let i = 1; this.names.has(name); i++) name = `${base}_${i}`;
    this.names.add(name);
    return name;
  }

  /** Adds a node named `name` (made unique) with one output of the same name, and returns that output. */
  node(opType: string, inputs: readonly string[], name: string, attrs: Record<string, Attr> = {}): string {
    const output = this.unique(name);
    this.nodes.push(
      create(NodeProtoSchema, {
        input: [...inputs],
        output: [output],
        name: output,
        opType,
        attribute: Object.entries(attrs).map(([key, value]) => attribute(key, value)),
      }),
    );
    return output;
  }

  /** A float32 initializer whose value `make` computes from the model's weights when the graph is finished. */
  weight(name: string, make: () => tf.Tensor): string {
    const unique = this.unique(name);
    this.weights.push({ name: unique, make });
    return unique;
  }

  /** A constant int64 vector (shapes, axes, pads of the ops that take them as inputs). */
  int64s(name: string, values: readonly number[]): string {
    const unique = this.unique(name);
    this.constants.push(
      tensorProto(unique, [values.length], TensorProto_DataType.INT64, { int64Data: values.map(BigInt) }),
    );
    return unique;
  }

  /** A constant float32 tensor of the given dims. */
  floats(name: string, dims: readonly number[], values: readonly number[]): string {
    const unique = this.unique(name);
    this.constants.push(tensorProto(unique, dims, TensorProto_DataType.FLOAT, { floatData: [...values] }));
    return unique;
  }

  /** Reads every pending weight (with `data()`, so any backend works) into float32 initializers. */
  async initializers(): Promise<TensorProto[]> {
    const read: TensorProto[] = [];
    for (const w of this.weights) {
      const t = tf.tidy(() => w.make().clone());
      try {
        const data = (await t.data()) as Float32Array;
        read.push(tensorProto(w.name, t.shape, TensorProto_DataType.FLOAT, { floatData: Array.from(data) }));
      } finally {
        t.dispose();
      }
    }
    return [...read, ...this.constants];
  }
}

/** The parts of a model file. */
export interface ModelParts {
  readonly graphName: string;
  readonly nodes: NodeProto[];
  readonly initializers: TensorProto[];
  readonly inputs: ValueInfoProto[];
  readonly outputs: ValueInfoProto[];
  readonly opset: number;
  readonly irVersion: number;
  readonly producerVersion: string;
  readonly docString: string;
}

/** The ONNX `ModelProto` of `parts`, serialized. */
export function encodeModel(parts: ModelParts): Uint8Array {
  const model = create(ModelProtoSchema, {
    irVersion: BigInt(parts.irVersion),
    opsetImport: [{ domain: '', version: BigInt(parts.opset) }],
    producerName: 'tfjs-skip',
    producerVersion: parts.producerVersion,
    docString: parts.docString,
    graph: {
      name: parts.graphName,
      node: parts.nodes,
      initializer: parts.initializers,
      input: parts.inputs,
      output: parts.outputs,
    },
  });
  return toBinary(ModelProtoSchema, model);
}

/** A graph input or output: its element type and dims, a string naming a symbolic dimension. */
export function valueInfo(name: string, type: ElementType, dims: readonly (number | string)[]): ValueInfoProto {
  return create(ValueInfoProtoSchema, {
    name,
    type: {
      value: {
        case: 'tensorType',
        value: {
          elemType: ELEMENT_TYPES[type],
          shape: {
            dim: dims.map((d) => ({
              value:
                typeof d === 'string'
                  ? { case: 'dimParam' as const, value: d }
                  : { case: 'dimValue' as const, value: BigInt(d) },
            })),
          },
        },
      },
    },
  });
}

function tensorProto(
  name: string,
  dims: readonly number[],
  dataType: TensorProto_DataType,
  data: { floatData?: number[]; int64Data?: bigint[] },
): TensorProto {
  return create(TensorProtoSchema, { name, dims: dims.map(BigInt), dataType, ...data });
}

function attribute(name: string, value: Attr): AttributeProto {
  const T = AttributeProto_AttributeType;
  if (typeof value === 'string') {
    return create(AttributeProtoSchema, { name, type: T.STRING, s: new TextEncoder().encode(value) });
  }
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error(`ONNX attribute ${name}: ${value} is not an integer; use float()`);
    return create(AttributeProtoSchema, { name, type: T.INT, i: BigInt(value) });
  }
  if (isFloat(value)) return create(AttributeProtoSchema, { name, type: T.FLOAT, f: value.float });
  return create(AttributeProtoSchema, { name, type: T.INTS, ints: value.map(BigInt) });
}

function isFloat(value: Attr): value is FloatAttr {
  return typeof value === 'object' && !Array.isArray(value) && 'float' in value;
}
