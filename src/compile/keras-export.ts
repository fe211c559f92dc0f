/**
 * Graph → Keras model config (topology only), in the tf.keras 2 functional layout that both
 * `tf.keras.models.model_from_json` and TensorFlow.js `tf.models.modelFromJSON` read. Parameter
 * names go from the TensorFlow.js camelCase form to the Keras snake_case form.
 */
import { getLayerKind } from '../layers';
import { withDefaults } from '../layers/params';
import type { ParamSpec } from '../layers/types';
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

  const config: JsonObject = { name, trainable: true, dtype: 'float32' };
  for (const spec of kind.params) config[toSnakeCase(spec.name)] = paramJson(spec, params[spec.name], name);
  return config;
}

function layerSpecJson(spec: LayerSpec, name: string): KerasLayerJson {
  return { class_name: spec.kind, config: layerConfigJson(spec.kind, spec.params, name) };
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
    const count = callCount.get(owner.id) ?? 0;
    callIndex.set(id, count);
    callCount.set(owner.id, count + 1);
  }

  const layers: KerasLayerJson[] = [];
  const layerByOwner = new Map<string, KerasLayerJson & { inbound_nodes: JsonValue[] }>();
  for (const id of order) {
    const node = index.nodes.get(id)!;
    const owner = ownerOf(node);
    let layer = layerByOwner.get(owner.id);
    if (!layer) {
      layer = {
        class_name: owner.kind,
        config: layerConfigJson(owner.kind, owner.params, owner.name),
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
