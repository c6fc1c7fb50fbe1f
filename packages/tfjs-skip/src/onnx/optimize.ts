import { create } from '@bufbuild/protobuf';
import { NodeProtoSchema, type NodeProto } from 'onnx-buf';

/**
 * Tidies a translated graph: a Transpose of a Transpose becomes one
 * Transpose of the original, or nothing when the two cancel; then nodes no
 * output depends on are dropped. `outputs` are the graph's outputs, which
 * keep their names.
 */
export function optimize(nodes: readonly NodeProto[], outputs: readonly string[]): NodeProto[] {
  let graph = [...nodes];
  for (let changed = true; changed;) {
    changed = false;
    const producer = new Map(graph.flatMap((n) => n.output.map((o) => [o, n] as const)));
    for (const node of graph) {
      const inner = node.opType === 'Transpose' ? producer.get(node.input[0]!) : undefined;
      if (inner === undefined || inner.opType !== 'Transpose') continue;
      const composed = perm(node).map((axis) => perm(inner)[axis]!);
      const source = inner.input[0]!;
      if (composed.every((axis, i) => axis === i) && !outputs.includes(node.output[0]!)) {
        graph = replaceUses(graph, node.output[0]!, source);
      } else {
        node.input[0] = source;
        setPerm(node, composed);
      }
      changed = true;
      break;
    }
    const live = liveNodes(graph, outputs);
    if (live.length !== graph.length) changed = true;
    graph = live;
  }
  return graph;
}

/**
 * Gives each graph output the name `names[i]` (a layer's name): its
 * producer's output is renamed, or an Identity node added where a tensor
 * cannot take the name (a graph input passed through, a tensor output twice).
 */
export function nameOutputs(
  nodes: readonly NodeProto[],
  outputs: readonly string[],
  names: readonly string[],
): NodeProto[] {
  let graph = [...nodes];
  outputs.forEach((from, i) => {
    const to = names[i]!;
    if (from === to) return;
    const producer = graph.find((n) => n.output.includes(from));
    const shared = outputs.filter((o) => o === from).length > 1;
    if (producer === undefined || shared) {
      graph.push(create(NodeProtoSchema, { opType: 'Identity', input: [from], output: [to], name: to }));
    } else {
      graph = replaceUses(graph, from, to);
      producer.output = producer.output.map((o) => (o === from ? to : o));
      producer.name = producer.name === from ? to : producer.name;
    }
  });
  return graph;
}

function perm(node: NodeProto): number[] {
  return (node.attribute.find((a) => a.name === 'perm')?.ints ?? []).map(Number);
}

function setPerm(node: NodeProto, values: readonly number[]): void {
  const attr = node.attribute.find((a) => a.name === 'perm');
  if (attr !== undefined) attr.ints = values.map(BigInt);
}

function replaceUses(nodes: NodeProto[], from: string, to: string): NodeProto[] {
  for (const node of nodes) node.input = node.input.map((i) => (i === from ? to : i));
  return nodes;
}

function liveNodes(nodes: readonly NodeProto[], outputs: readonly string[]): NodeProto[] {
  const needed = new Set(outputs);
  const live = new Set<NodeProto>();
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i]!;
    if (node.output.some((o) => needed.has(o))) {
      live.add(node);
      node.input.forEach((name) => needed.add(name));
    }
  }
  return nodes.filter((n) => live.has(n));
}
