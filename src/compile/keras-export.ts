/**
 * Graph → Keras model config (topology only), in the tf.keras 2 functional layout that both
 * `tf.keras.models.model_from_json` and TensorFlow.js `tf.models.modelFromJSON` read. Parameter
 * names go from the TensorFlow.js camelCase form to the Keras snake_case form.
 */
import { getLayerKind } from '../layers';
import { withDefaults } from '../layers/params';
import type { ParamSpec } from '../layers/types';
import { inferGraph } from '../graph/infer';
import { indexGraph, topologicalOrder } from '../graph/topology';
import type { Graph, GraphNode, LayerSpec, ParamValue, Params, RegularizerValue } from '../graph/types';

export const KERAS_VERSION = '2.15.0';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface KerasLayerJson extends JsonObject {
  class_name: string;
  config: JsonObject;
}

export interface KerasModelJson extends JsonObject {
  class_name: 'Functional';
  config: JsonObject;
  keras_version: string;
  backend: 'tensorflow';
}

/** `kernelSize` → `kernel_size`. */
export function toSnakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

function regularizerJson(value: RegularizerValue): JsonObject {
  return { class_name: 'L1L2', config: { l1: value.l1, l2: value.l2 } };
}

function isRegularizer(value: ParamValue): value is RegularizerValue {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'l1' in value && 'l2' in value;
}

function paramJson(spec: ParamSpec, value: ParamValue, layerName: string): JsonValue {
  if (value === null) return null;
  switch (spec.type) {
    case 'regularizer':
      return isRegularizer(value) ? regularizerJson(value) : null;
    case 'layer':
      return layerSpecJson(value as LayerSpec, `${layerName}_${(value as LayerSpec).kind.toLowerCase()}`);
    case 'graph':
      return graphToKerasModel(value as Graph, layerName) as unknown as JsonValue;
    default:
      return value as JsonValue;
  }
}

/** Keras config of one layer from its kind and parameters; unknown kinds keep their params. */
export function layerConfigJson(kindName: string, rawParams: Params, name: string): JsonObject {
  const kind = getLayerKind(kindName);
  if (!kind) return { name, ...(rawParams as JsonObject) };

  const params = withDefaults(kind, rawParams);
  if (kindName === 'InputLayer') {
    const shape = Array.isArray(params.shape) ? params.shape : [];
    const batchSize = typeof params.batchSize === 'number' ? params.batchSize : null;
    return { batch_input_shape: [batchSize, ...shape] as JsonValue, dtype: params.dtype as string, sparse: false, name };
  }

  if (kind.category === 'model') return nestedModelConfig(kindName, params, name);

  const config: JsonObject = { name, trainable: true, dtype: 'float32' };
  for (const spec of kind.params) config[toSnakeCase(spec.name)] = paramJson(spec, params[spec.name], name);
  if (kindName === 'BatchNormalization') config.axis = batchNormAxisJson(config.axis);
  return config;
}

/**
 * BatchNormalization `axis` as one integer. Keras saves it as a list such as `[3]`, which
 * TensorFlow.js 4.22 reads as a number only by accident: `[-1]` becomes the string "-14" there.
 */
function batchNormAxisJson(axis: JsonValue): JsonValue {
  return Array.isArray(axis) && axis.length === 1 ? axis[0] : axis;
}

/** Returns the graph parameter of a nested model kind, or `null` when the node has none. */
function nestedGraph(params: Params): Graph | null {
  const graph = params.graph;
  const isGraph = typeof graph === 'object' && graph !== null && Array.isArray((graph as Graph).nodes) && Array.isArray((graph as Graph).edges);
  return isGraph ? (graph as Graph) : null;
}

/**
 * Builds the config of a nested model as Keras writes a model used as a layer. That is a
 * Functional config (`layers`, `input_layers`, `output_layers`), or for Sequential the list of
 * its layers in order.
 */
function nestedModelConfig(kindName: string, params: Params, name: string): JsonObject {
  const graph = nestedGraph(params) ?? { nodes: [], edges: [] };
  if (kindName !== 'Sequential') return { ...graphToKerasModel(graph, name).config, name };

  const index = indexGraph(graph);
  const { order } = topologicalOrder(graph, index);
  const layers = order.map((id) => {
    const node = index.nodes.get(id)!;
    return { class_name: node.kind, config: layerConfigJson(node.kind, node.params, node.name) } as JsonValue;
  });
  return { name, layers };
}

/**
 * Keras node index of the first call of a layer. A nested model built on its own Input already
 * has node 0, which links that Input to its outputs, so Keras (2.15 `get_network_config`) and
 * TensorFlow.js number its calls from 1.
 */
function firstCallIndex(kindName: string): number {
  return getLayerKind(kindName)?.category === 'model' ? 1 : 0;
}

function layerSpecJson(spec: LayerSpec, name: string): KerasLayerJson {
  return { class_name: spec.kind, config: layerConfigJson(spec.kind, spec.params, name) };
}

/**
 * Reshape parameters with `-1` replaced by the size inference found. tfjs 4.22 keeps a `-1` as
 * an unknown size even when the input size is known, which breaks a Dense after it; Keras
 * reads both forms the same way.
 */
function resolveReshapeTargets(graph: Graph): Map<string, Params> {
  const resolved = new Map<string, Params>();
  const pending = graph.nodes.filter(
    (node) => node.kind === 'Reshape' && Array.isArray(node.params.targetShape) && (node.params.targetShape as unknown[]).includes(-1),
  );
  if (pending.length === 0) return resolved;

  const inference = inferGraph(graph);
  for (const node of pending) {
    const shape = inference.nodes.get(node.id)?.outputShapes?.[0];
    if (shape && shape.slice(1).every((dim) => dim !== null)) {
      resolved.set(node.id, { ...node.params, targetShape: shape.slice(1) });
    }
  }
  return resolved;
}

/**
 * The Keras model config of a graph. Every node becomes a layer with its inbound nodes; a node
 * that shares another's layer adds an inbound node to that layer instead of a layer of its own.
 */
export function graphToKerasModel(graph: Graph, modelName = 'model'): KerasModelJson {
  const index = indexGraph(graph);
  const { order } = topologicalOrder(graph, index);

  // Which layer each node calls, and which call of that layer it is (Keras node index).
  const ownerOf = (node: GraphNode): GraphNode => (node.sharedWith && index.nodes.get(node.sharedWith)) || node;
  const callIndex = new Map<string, number>();
  const callCount = new Map<string, number>();
  for (const id of order) {
    const owner = ownerOf(index.nodes.get(id)!);
    const count = callCount.get(owner.id) ?? firstCallIndex(owner.kind);
    callIndex.set(id, count);
    callCount.set(owner.id, count + 1);
  }

  const resolvedShapes = resolveReshapeTargets(graph);
  const layers: KerasLayerJson[] = [];
  const layerByOwner = new Map<string, KerasLayerJson & { inbound_nodes: JsonValue[] }>();
  for (const id of order) {
    const node = index.nodes.get(id)!;
    const owner = ownerOf(node);
    let layer = layerByOwner.get(owner.id);
    if (!layer) {
      layer = {
        class_name: owner.kind,
        config: layerConfigJson(owner.kind, resolvedShapes.get(owner.id) ?? owner.params, owner.name),
        name: owner.name,
        inbound_nodes: [],
      };
      layerByOwner.set(owner.id, layer);
      layers.push(layer);
    }
    const incoming = index.incoming.get(id) ?? [];
    if (incoming.length > 0) {
      const call = incoming.map((edge) => {
        const source = index.nodes.get(edge.source)!;
        return [ownerOf(source).name, callIndex.get(source.id) ?? 0, edge.sourceOutput ?? 0, {}] as JsonValue;
      });
      layer.inbound_nodes.push(call);
    }
  }

  const reference = (id: string): JsonValue => {
    const node = index.nodes.get(id)!;
    return [ownerOf(node).name, callIndex.get(id) ?? 0, 0];
  };
  const inputs = order.filter((id) => index.nodes.get(id)!.kind === 'InputLayer');
  const outputs = order.filter((id) => (index.outgoing.get(id) ?? []).length === 0);

  return {
    class_name: 'Functional',
    config: {
      name: modelName,
      layers,
      input_layers: inputs.map(reference),
      output_layers: outputs.map(reference),
    },
    keras_version: KERAS_VERSION,
    backend: 'tensorflow',
  };
}
