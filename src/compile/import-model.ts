/**
 * Keras Sequential and Functional model configs → Layerlab graphs. A functional layer called
 * several times becomes one node per call; later calls point at the first with `sharedWith`.
 * A nested model becomes one node whose `graph` parameter contains the inner graph.
 */
import { getLayerKind } from '../layers';
import { layerBaseName } from '../graph/templates';
import type { Graph, GraphEdge, GraphNode, Params } from '../graph/types';
import { isObject, own, ownObject, ownString } from './import-json';
import {
  canonicalClassName,
  convertInputLayer,
  convertLayerParams,
  declaredBatchShape,
  dtypeName,
  inputLayerParams,
  MODEL_CLASSES,
  nestedModelKind,
  type ImportContext,
} from './import-params';
import type { JsonObject, JsonValue } from './keras-export';

/** Models nested deeper than this are rejected; inference stops at the same depth. */
export const MAX_MODEL_NESTING = 16;

/** More layers than this make the editor unusable; no real model comes close. */
export const MAX_LAYERS = 10_000;

export type ModelResult = { ok: true; graph: Graph; name: string } | { ok: false; errors: string[] };

/** One layer entry of a model config, read and checked. */
interface LayerEntry {
  json: JsonObject;
  className: string;
  config: JsonObject;
  name: string;
}

/** One input of a layer call: output `tensorIndex` of call `nodeIndex` of layer `layer`. */
interface TensorRef {
  layer: string;
  nodeIndex: number;
  tensorIndex: number;
}

/** Returns the list of layer configs of a Sequential or Functional model, or `undefined`. */
export function modelLayers(model: JsonObject): JsonValue[] | undefined {
  const config = own(model, 'config');
  if (Array.isArray(config)) return config;
  if (!isObject(config)) return undefined;
  const layers = own(config, 'layers');
  return Array.isArray(layers) ? layers : undefined;
}

/** Names a layer entry: its own `name`, its config's, or a Keras-style name from its class. */
export function entryName(layer: JsonObject, position: number): string {
  const config = ownObject(layer, 'config');
  const name = ownString(layer, 'name') ?? (config ? ownString(config, 'name') : undefined);
  return name ?? `${layerBaseName(ownString(layer, 'class_name') ?? 'layer')}_${position}`;
}

/** Nodes and edges of one graph under construction, with ids `n1`, `n2` … and `e1`, `e2` …. */
class GraphBuilder {
  readonly nodes: GraphNode[] = [];
  readonly edges: GraphEdge[] = [];
  private readonly names = new Set<string>();

  addNode(kind: string, name: string, params: Params, sharedWith?: string): string {
    const node: GraphNode = { id: `n${this.nodes.length + 1}`, kind, name: this.uniqueName(name), params };
    if (sharedWith) node.sharedWith = sharedWith;
    this.nodes.push(node);
    return node.id;
  }

  addEdge(source: string, target: string, sourceOutput: number, targetInput: number | undefined): void {
    const edge: GraphEdge = { id: `e${this.edges.length + 1}`, source, target };
    if (sourceOutput !== 0) edge.sourceOutput = sourceOutput;
    if (targetInput !== undefined) edge.targetInput = targetInput;
    this.edges.push(edge);
  }

  graph(): Graph {
    return { nodes: this.nodes, edges: this.edges };
  }

  private uniqueName(name: string): string {
    let candidate = name;
    for (let suffix = 2; this.names.has(candidate); suffix += 1) candidate = `${name}_${suffix}`;
    this.names.add(candidate);
    return candidate;
  }
}

/** Converts a Sequential, Functional or Model config; `path` names a nested model in messages. */
export function convertModel(model: JsonObject, context: ImportContext, depth: number, path: string): ModelResult {
  if (depth > MAX_MODEL_NESTING) {
    return { ok: false, errors: [`Model '${path}' is nested more than ${MAX_MODEL_NESTING} levels deep; flatten the model`] };
  }
  const className = canonicalClassName(ownString(model, 'class_name') ?? '');
  const layers = modelLayers(model);
  const where = path ? `Model '${path}'` : 'The model';
  if (!layers) {
    return { ok: false, errors: [`${where} has no list of layers (expected "config": {"layers": [...]}); check that the file is a Keras model config`] };
  }
  if (layers.length > MAX_LAYERS) {
    return { ok: false, errors: [`${where} has ${layers.length} layers, more than the ${MAX_LAYERS} Layerlab can show`] };
  }

  const entries = readEntries(layers, path);
  if (!entries.ok) return entries;

  const config = own(model, 'config');
  const name = (isObject(config) ? ownString(config, 'name') : undefined) ?? (className === 'Sequential' ? 'sequential' : 'model');
  if (className === 'Sequential') return convertSequential(model, entries.entries, name, context, depth, path);
  return convertFunctional(isObject(config) ? config : {}, entries.entries, name, context, depth, path);
}

function readEntries(layers: JsonValue[], path: string): { ok: true; entries: LayerEntry[] } | { ok: false; errors: string[] } {
  const entries: LayerEntry[] = [];
  const errors: string[] = [];
  layers.forEach((json, i) => {
    const className = isObject(json) ? ownString(json, 'class_name') : undefined;
    if (!isObject(json) || className === undefined) {
      errors.push(`Layer ${i + 1}${path ? ` of '${path}'` : ''} has no "class_name"; each layer needs {"class_name": ..., "config": {...}}`);
      return;
    }
    const config = ownObject(json, 'config') ?? {};
    entries.push({ json, className: canonicalClassName(className), config, name: entryName(json, i) });
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, entries };
}

/** Converts a non-input layer to a kind and parameters, converting a nested model on the way. */
function layerNode(entry: LayerEntry, context: ImportContext, depth: number, path: string): { ok: true; kind: string; params: Params } | { ok: false; errors: string[] } {
  const layerPath = path ? `${path}/${entry.name}` : entry.name;
  if (MODEL_CLASSES.has(entry.className)) {
    const nested = nestedModelKind(entry.className)!;
    const inner = convertModel(entry.json, context, depth + 1, layerPath);
    if (!inner.ok) return inner;
    return { ok: true, kind: nested.kind.className, params: { [nested.graphParam]: inner.graph } };
  }
  const kind = getLayerKind(entry.className)!;
  return { ok: true, kind: kind.className, params: convertLayerParams(kind, entry.config, layerPath, context) };
}

/**
 * Converts a Sequential model to a chain. Without an InputLayer, the first layer's declared
 * input shape (or the model's build shape) becomes an InputLayer named `<layer>_input`, as Keras
 * names it.
 */
function convertSequential(model: JsonObject, entries: LayerEntry[], name: string, context: ImportContext, depth: number, path: string): ModelResult {
  const builder = new GraphBuilder();
  let previous: string | undefined;

  for (const [i, entry] of entries.entries()) {
    if (entry.className === 'InputLayer') {
      if (i !== 0) return { ok: false, errors: [`InputLayer '${entry.name}' is layer ${i + 1} of Sequential model '${path || name}', but only the first layer of a Sequential model can be an input`] };
      previous = builder.addNode('InputLayer', entry.name, convertInputLayer(entry.json, entry.config, entry.name, context));
      continue;
    }

    if (i === 0) previous = addImplicitInput(builder, model, entry, context);
    const node = layerNode(entry, context, depth, path);
    if (!node.ok) return node;

    if (i === 0 && previous === undefined) previous = inputOfNestedModel(builder, entry, node.params);
    const id = builder.addNode(node.kind, entry.name, node.params);
    if (previous !== undefined) builder.addEdge(previous, id, 0, undefined);
    else context.warnings.push(`${path ? `Model '${path}'` : 'The model'} declares no input shape; add an Input layer before '${entry.name}' to see shapes`);
    previous = id;
  }
  return { ok: true, graph: builder.graph(), name };
}

/** Adds the InputLayer that Keras creates for a first layer that carries an input shape. */
function addImplicitInput(builder: GraphBuilder, model: JsonObject, first: LayerEntry, context: ImportContext): string | undefined {
  const modelConfig = ownObject(model, 'config');
  const modelBuild = ownObject(model, 'build_config');
  const batchShape =
    declaredBatchShape(first.json, first.config) ??
    shapeList(modelConfig ? own(modelConfig, 'build_input_shape') : undefined) ??
    shapeList(modelBuild ? own(modelBuild, 'input_shape') : undefined);
  if (!batchShape) return undefined;

  const dtype = dtypeName(own(first.config, 'dtype'));
  const inputName = `${first.name}_input`;
  return builder.addNode('InputLayer', inputName, inputLayerParams(batchShape, dtype, inputName, context));
}

/** Adds an outer input that copies the input of a nested model that comes first in a Sequential. */
function inputOfNestedModel(builder: GraphBuilder, entry: LayerEntry, params: Params): string | undefined {
  const inner = Object.values(params).find((value): value is Graph => isObject(value) && Array.isArray((value as { nodes?: unknown }).nodes));
  const innerInput = inner?.nodes.find((node) => node.kind === 'InputLayer');
  if (!innerInput) return undefined;
  return builder.addNode('InputLayer', `${entry.name}_input`, structuredClone(innerInput.params));
}

function shapeList(value: JsonValue | undefined): (number | null)[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  return value.every((dim) => dim === null || typeof dim === 'number') ? (value as (number | null)[]) : undefined;
}

/**
 * Converts a Functional model, whose layers list their inbound nodes. Input layers come first,
 * in the order of the model's `input_layers`, so that the graph keeps the model's input order.
 */
function convertFunctional(config: JsonObject, entries: LayerEntry[], name: string, context: ImportContext, depth: number, path: string): ModelResult {
  const errors: string[] = [];
  const byName = new Map<string, LayerEntry>();
  for (const entry of entries) {
    if (byName.has(entry.name)) errors.push(`Two layers are named '${entry.name}'; Keras needs unique layer names, so the file is damaged`);
    byName.set(entry.name, entry);
  }

  const calls = new Map<LayerEntry, TensorRef[][]>();
  for (const entry of entries) {
    if (entry.className === 'InputLayer') continue;
    const parsed = readInboundNodes(entry, path);
    if (!parsed.ok) errors.push(...parsed.errors);
    else calls.set(entry, parsed.calls);
  }
  const inputRefs = readTensorRefs(own(config, 'input_layers'));
  const outputRefs = readTensorRefs(own(config, 'output_layers'));
  if (errors.length > 0) return { ok: false, errors };

  const builder = new GraphBuilder();
  const nodeIds = new Map<string, string>();
  const callNodes: { id: string; inputs: TensorRef[]; entry: LayerEntry }[] = [];
  const firstInputs = inputRefs.map((ref) => byName.get(ref.layer)).filter((entry): entry is LayerEntry => entry?.className === 'InputLayer');
  const ordered = [...new Set([...firstInputs, ...entries])];

  for (const entry of ordered) {
    if (entry.className === 'InputLayer') {
      nodeIds.set(refKey(entry.name, 0), builder.addNode('InputLayer', entry.name, convertInputLayer(entry.json, entry.config, entry.name, context)));
      continue;
    }
    const layerCalls = calls.get(entry) ?? [];
    if (layerCalls.length === 0) {
      context.warnings.push(`Layer '${entry.name}' is never called in the model, so it was left out`);
      continue;
    }
    const node = layerNode(entry, context, depth, path);
    if (!node.ok) return node;

    // Keras numbers a nested model's calls from 1, because building it created node 0.
    const offset = MODEL_CLASSES.has(entry.className) && highestRef(entry.name, calls, outputRefs) === layerCalls.length ? 1 : 0;
    let owner: string | undefined;
    layerCalls.forEach((inputs, call) => {
      const nodeName = call === 0 ? entry.name : `${entry.name}_call${call + 1}`;
      const params = call === 0 ? node.params : structuredClone(node.params);
      const id = builder.addNode(node.kind, nodeName, params, owner);
      owner ??= id;
      nodeIds.set(refKey(entry.name, call + offset), id);
      callNodes.push({ id, inputs, entry });
    });
  }

  for (const call of callNodes) {
    call.inputs.forEach((ref, position) => {
      const source = nodeIds.get(refKey(ref.layer, ref.nodeIndex));
      if (source === undefined) {
        errors.push(`Layer '${call.entry.name}' takes its input from ${describeRef(ref, byName)}, which is not in the model; the file is incomplete`);
        return;
      }
      builder.addEdge(source, call.id, ref.tensorIndex, call.inputs.length > 1 ? position : undefined);
    });
  }
  for (const ref of outputRefs) {
    if (!nodeIds.has(refKey(ref.layer, ref.nodeIndex))) errors.push(`The model's output ${describeRef(ref, byName)} is not in the model; the file is incomplete`);
  }
  if (errors.length > 0) return { ok: false, errors };

  warnAboutInnerOutputs(builder, outputRefs, nodeIds, context);
  return { ok: true, graph: builder.graph(), name };
}

function refKey(layer: string, nodeIndex: number): string {
  return `${layer}\u0000${nodeIndex}`;
}

function describeRef(ref: TensorRef, byName: Map<string, LayerEntry>): string {
  if (!byName.has(ref.layer)) return `layer '${ref.layer}'`;
  return `call ${ref.nodeIndex} of layer '${ref.layer}'`;
}

function highestRef(layer: string, calls: Map<LayerEntry, TensorRef[][]>, outputs: TensorRef[]): number {
  let highest = -1;
  const consider = (ref: TensorRef) => {
    if (ref.layer === layer) highest = Math.max(highest, ref.nodeIndex);
  };
  for (const layerCalls of calls.values()) for (const inputs of layerCalls) inputs.forEach(consider);
  outputs.forEach(consider);
  return highest;
}

/** Warns about a model output that also feeds other layers, since Layerlab's outputs are sinks. */
function warnAboutInnerOutputs(builder: GraphBuilder, outputs: TensorRef[], nodeIds: Map<string, string>, context: ImportContext): void {
  const sources = new Set(builder.edges.map((edge) => edge.source));
  for (const ref of outputs) {
    const id = nodeIds.get(refKey(ref.layer, ref.nodeIndex));
    if (id !== undefined && sources.has(id)) {
      context.warnings.push(`Layer '${ref.layer}' is a model output but also feeds other layers; Layerlab treats only layers without consumers as outputs`);
    }
  }
}

/**
 * Reads the calls of a layer from its `inbound_nodes`, in either layout. tf.keras 2 and tfjs
 * write each call as a list of `[layer, nodeIndex, tensorIndex, kwargs]`; Keras 3 writes
 * `{args: [...], kwargs: {...}}` with `__keras_tensor__` objects whose `keras_history` contains
 * the same three values.
 */
function readInboundNodes(entry: LayerEntry, path: string): { ok: true; calls: TensorRef[][] } | { ok: false; errors: string[] } {
  const inbound = own(entry.json, 'inbound_nodes');
  if (inbound === undefined || inbound === null) return { ok: true, calls: [] };
  const where = `Layer '${path ? `${path}/` : ''}${entry.name}'`;
  if (!Array.isArray(inbound)) return { ok: false, errors: [`${where} has "inbound_nodes" that is not a list`] };

  const calls: TensorRef[][] = [];
  for (const node of inbound) {
    if (isObject(node)) {
      const tensorInKwargs = findKerasTensorKey(own(node, 'kwargs'));
      if (tensorInKwargs) {
        return { ok: false, errors: [`${where} receives a tensor through the keyword argument '${tensorInKwargs}', which Layerlab cannot represent; pass every tensor as a regular input`] };
      }
      calls.push(collectKerasTensors(own(node, 'args')));
      continue;
    }
    const items = Array.isArray(node) ? node : [];
    const refs = items.map(readRefItem);
    const complete = refs.filter((ref): ref is TensorRef => ref !== undefined);
    if (complete.length === 0 || complete.length !== refs.length) return { ok: false, errors: [unreadableNode(where, node)] };
    calls.push(complete);
  }
  if (calls.some((refs) => refs.length === 0)) return { ok: false, errors: [unreadableNode(where, inbound)] };
  return { ok: true, calls };
}

function unreadableNode(where: string, node: JsonValue): string {
  return `${where} has an inbound node that names no input layer as [layer, call, output]: ${JSON.stringify(node).slice(0, 120)}`;
}

/** Keras 3 `__keras_tensor__` objects in call arguments, in order, through nested lists. */
function collectKerasTensors(args: JsonValue | undefined): TensorRef[] {
  const refs: TensorRef[] = [];
  const visit = (value: JsonValue | undefined): void => {
    if (Array.isArray(value)) {
      value.forEach(visit);
      return;
    }
    const ref = kerasTensorRef(value);
    if (ref) refs.push(ref);
  };
  visit(args);
  return refs;
}

function kerasTensorRef(value: JsonValue | undefined): TensorRef | undefined {
  if (!isObject(value) || own(value, 'class_name') !== '__keras_tensor__') return undefined;
  const config = ownObject(value, 'config');
  const history = config ? own(config, 'keras_history') : undefined;
  return Array.isArray(history) ? tensorRef(history) : undefined;
}

function findKerasTensorKey(kwargs: JsonValue | undefined): string | undefined {
  if (!isObject(kwargs)) return undefined;
  return Object.keys(kwargs).find((key) => collectKerasTensors([kwargs[key]]).length > 0);
}

/** `[name, nodeIndex, tensorIndex, …]` → a reference, or `undefined` when malformed. */
function tensorRef(value: JsonValue[]): TensorRef | undefined {
  const [layer, nodeIndex = 0, tensorIndex = 0] = value;
  if (typeof layer !== 'string' || !Number.isInteger(nodeIndex) || !Number.isInteger(tensorIndex)) return undefined;
  return { layer, nodeIndex: nodeIndex as number, tensorIndex: tensorIndex as number };
}

/** Reads a list of references, or one flat reference as Keras 3 writes it for a single input. */
function readTensorRefs(value: JsonValue | undefined): TensorRef[] {
  if (!Array.isArray(value)) return [];
  if (typeof value[0] === 'string') {
    const single = tensorRef(value);
    return single ? [single] : [];
  }
  return value.map(readRefItem).filter((ref): ref is TensorRef => ref !== undefined);
}

/** Reads one reference written as `[layer, call, output, …]` or as a Keras 3 tensor. */
function readRefItem(item: JsonValue): TensorRef | undefined {
  if (Array.isArray(item)) return tensorRef(item);
  return kerasTensorRef(item);
}
