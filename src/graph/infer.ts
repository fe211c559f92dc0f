/**
 * Shape inference: the output shape of every node, its trainable and non-trainable parameter
 * counts, and every error, as data. It runs on each edit, so it is one pass in topological
 * order, and it never throws: whatever the graph, the result describes it.
 */
import { getLayerKind } from '../layers';
import { weightSize } from '../layers/explain';
import { formatCount, formatShape } from '../layers/format';
import { validateParam, withDefaults } from '../layers/params';
import type { KindContext, KindError, LayerKind, ShapeResult, WeightResult, WeightSpec } from '../layers/types';
import { findCycles, indexGraph, topologicalOrder } from './topology';
import type { Graph, GraphError, GraphFix, GraphNode, Params, Shape } from './types';

/**
 * Largest layer, in weight values (1 GiB of float32), that a browser tab can train. Inference
 * still counts a larger layer exactly, and flags it.
 */
export const MAX_TRAINABLE_LAYER_PARAMS = 2 ** 28;

/** Maximum depth of nested models that inference descends into, which bounds work on hostile files. */
const MAX_NESTING = 16;

export interface NodeInference {
  /** Output shapes, one per output; `null` when an error here or upstream prevents them. */
  outputShapes: Shape[] | null;
  /** Input shapes in input order, as far as they are known. */
  inputShapes: (Shape | null)[];
  weights: WeightSpec[];
  trainableParams: number;
  nonTrainableParams: number;
  /** Whether this node's weights are counted on another node (a shared layer). */
  shared: boolean;
}

export interface Inference {
  nodes: Map<string, NodeInference>;
  /** Shape flowing along each edge; `null` when unknown because of an error. */
  edgeShapes: Map<string, Shape | null>;
  /** Node ids in topological order; nodes on a cycle come last. */
  order: string[];
  inputs: string[];
  outputs: string[];
  /** Whether the graph is one chain from one input, so a summary needs no "Connected to". */
  sequential: boolean;
  totalParams: number;
  trainableParams: number;
  nonTrainableParams: number;
  errors: GraphError[];
}

interface RunOptions {
  depth: number;
}

/** Infers shapes, counts and errors for a whole graph. Never throws. */
export function inferGraph(graph: Graph): Inference {
  try {
    return run(graph, { depth: 0 });
  } catch (error) {
    // A defect in a layer kind must not take the editor down: report it on the graph instead.
    return failedInference(graph, error);
  }
}

function run(graph: Graph, options: RunOptions): Inference {
  const index = indexGraph(graph);
  const errors: GraphError[] = [];
  const nodes = new Map<string, NodeInference>();
  const edgeShapes = new Map<string, Shape | null>();
  const context = makeContext(options);

  for (const edge of index.danglingEdges) {
    const nodeId = index.nodes.has(edge.target) ? edge.target : edge.source;
    errors.push({
      nodeId,
      code: 'bad-edge',
      message: `Connection ${edge.id} joins ${describeEnd(index.nodes, edge.source)} to ${describeEnd(index.nodes, edge.target)}, but a layer it names does not exist; delete the connection`,
      fix: { type: 'remove-edge', label: 'Delete the connection', edgeId: edge.id },
    });
  }
  reportDuplicateNames(graph, errors);

  const { order, blocked } = topologicalOrder(graph, index);
  reportCycles(index, blocked, errors);

  const reachable = reachableFromInputs(index, order);
  for (const id of order) {
    const node = index.nodes.get(id)!;
    const inputShapes = (index.incoming.get(id) ?? []).map((edge) => edgeShapeOf(nodes, edge.source, edge.sourceOutput));
    // A node that calls a shared layer again computes with that layer's kind and parameters, as
    // the exported model does. A missing owner is reported by applySharing.
    const owner = node.sharedWith ? index.nodes.get(node.sharedWith) : undefined;
    const layerNode = owner ? { ...node, kind: owner.kind, params: owner.params } : node;
    const result = inferNode(layerNode, inputShapes, index.incoming.get(id)?.length ?? 0, reachable.has(id), context);
    if (result.error) errors.push({ nodeId: id, ...result.error, message: `${node.name}: ${result.error.message}` });
    nodes.set(id, result.inference);
    for (const edge of index.outgoing.get(id) ?? []) {
      edgeShapes.set(edge.id, edgeShapeOf(nodes, id, edge.sourceOutput));
    }
  }
  for (const id of blocked) {
    const incoming = index.incoming.get(id) ?? [];
    nodes.set(id, emptyInference(incoming.map(() => null)));
    for (const edge of index.outgoing.get(id) ?? []) edgeShapes.set(edge.id, null);
  }

  applySharing(graph, nodes, errors);
  const totals = sumTotals(nodes);
  const inputs = order.filter((id) => index.nodes.get(id)!.kind === 'InputLayer');
  const outputs = [...order, ...blocked].filter((id) => (index.outgoing.get(id) ?? []).length === 0);

  return {
    nodes,
    edgeShapes,
    order: [...order, ...blocked],
    inputs,
    outputs,
    sequential: isSequential(index, inputs),
    ...totals,
    errors,
  };
}

interface NodeResult {
  inference: NodeInference;
  error?: Omit<GraphError, 'nodeId'>;
}

function inferNode(
  node: GraphNode,
  inputShapes: (Shape | null)[],
  inputCount: number,
  reachable: boolean,
  context: KindContext,
): NodeResult {
  const empty = emptyInference(inputShapes);
  const kind = getLayerKind(node.kind);
  if (!kind) {
    return {
      inference: empty,
      error: { code: 'unknown-kind', message: `${describeKind(node.kind)} is not a layer kind Layerlab knows; replace it with a supported layer` },
    };
  }

  const params = withDefaults(kind, node.params ?? {});
  for (const spec of kind.params) {
    const problem = validateParam(spec, params[spec.name]);
    if (problem) {
      return {
        inference: empty,
        error: {
          code: 'invalid-param',
          message: `${kind.className} ${problem}; set a valid value in the inspector`,
          fix: { type: 'set-param', label: `Reset ${spec.name} to ${JSON.stringify(spec.default)}`, nodeId: node.id, param: spec.name, value: spec.default },
        },
      };
    }
  }

  if (inputCount < kind.inputs.min) {
    const needed = kind.inputs.min === 1 ? 'an input' : `at least ${kind.inputs.min} inputs`;
    return {
      inference: empty,
      error: {
        code: inputCount === 0 ? 'disconnected' : 'missing-input',
        message: `${kind.className} needs ${needed} but has ${inputCount}; connect a layer to it`,
      },
    };
  }
  if (inputCount > kind.inputs.max) {
    return {
      inference: empty,
      error: {
        code: 'too-many-inputs',
        message: `${kind.className} takes ${kind.inputs.max === 0 ? 'no inputs' : `${kind.inputs.max} input${kind.inputs.max === 1 ? '' : 's'}`} but has ${inputCount}; merge them with Concatenate or Add first`,
      },
    };
  }
  if (!reachable) {
    return {
      inference: empty,
      error: { code: 'disconnected', message: `${kind.className} is cut off from every Input; connect it to a path that starts at an Input layer` },
    };
  }

  // An unknown input means an error upstream, already reported there.
  if (inputShapes.some((shape) => shape === null)) return { inference: empty };
  const shapes = inputShapes as Shape[];

  const shapeResult = kind.outputShapes(shapes, params, context);
  if (!shapeResult.ok) return { inference: empty, error: kindErrorToGraph(shapeResult, node.id) };
  const weightResult = kind.weights(shapes, params, context);
  if (!weightResult.ok) return { inference: { ...empty, outputShapes: shapeResult.shapes }, error: kindErrorToGraph(weightResult, node.id) };

  const counts = countWeights(weightResult.weights);
  const inference: NodeInference = { ...empty, outputShapes: shapeResult.shapes, weights: weightResult.weights, ...counts };
  const limitation = tfjsLimitation(kind, shapes, params, node.id);
  if (limitation) return { inference, error: limitation };
  const total = counts.trainableParams + counts.nonTrainableParams;
  if (total > MAX_TRAINABLE_LAYER_PARAMS) {
    const gigabytes = (total * 4) / 2 ** 30;
    return {
      inference,
      error: {
        code: 'too-large',
        message: `${kind.className} has ${formatCount(total)} parameters (${gigabytes.toFixed(1)} GiB as float32), more than the ${formatCount(MAX_TRAINABLE_LAYER_PARAMS)} a browser can train; make the layer smaller`,
      },
    };
  }
  return { inference };
}

/**
 * An error for settings Keras accepts but TensorFlow.js cannot build or run, so that the app
 * never starts a training it cannot finish. Shapes and counts are still reported.
 */
function tfjsLimitation(kind: LayerKind, inputs: Shape[], params: Params, nodeId: string): Omit<GraphError, 'nodeId'> | null {
  // TensorFlow.js 4.22 throws "Layer invocation in the presence of activity regularizer(s) is
  // not supported yet" when such a layer is called.
  if (params.activityRegularizer !== null && params.activityRegularizer !== undefined) {
    return {
      code: 'unsupported',
      message: `${kind.className} has an activityRegularizer, which TensorFlow.js cannot run yet; remove it (a kernelRegularizer is supported)`,
      fix: { type: 'set-param', label: 'Remove the activity regularizer', nodeId, param: 'activityRegularizer', value: null },
    };
  }
  const limitation = kind.tfjsLimitation?.(inputs, params);
  if (!limitation) return null;
  if (typeof limitation === 'string') return { code: 'unsupported', message: limitation };
  return limitation.fix
    ? { code: 'unsupported', message: limitation.message, fix: { ...limitation.fix, nodeId } as GraphFix }
    : { code: 'unsupported', message: limitation.message };
}

function kindErrorToGraph(error: KindError, nodeId: string): Omit<GraphError, 'nodeId'> {
  const fix = error.fix ? { ...error.fix, nodeId } : undefined;
  return fix ? { code: error.code, message: error.message, fix } : { code: error.code, message: error.message };
}

function countWeights(weights: WeightSpec[]): { trainableParams: number; nonTrainableParams: number } {
  let trainableParams = 0;
  let nonTrainableParams = 0;
  for (const weight of weights) {
    if (weight.trainable) trainableParams += weightSize(weight);
    else nonTrainableParams += weightSize(weight);
  }
  return { trainableParams, nonTrainableParams };
}

function emptyInference(inputShapes: (Shape | null)[]): NodeInference {
  return { outputShapes: null, inputShapes, weights: [], trainableParams: 0, nonTrainableParams: 0, shared: false };
}

function edgeShapeOf(nodes: Map<string, NodeInference>, source: string, output = 0): Shape | null {
  return nodes.get(source)?.outputShapes?.[output] ?? null;
}

/** Nodes reachable from an InputLayer (or a layer that needs no input) along edges. */
function reachableFromInputs(index: ReturnType<typeof indexGraph>, order: string[]): Set<string> {
  const reachable = new Set<string>();
  for (const id of order) {
    const node = index.nodes.get(id)!;
    const incoming = index.incoming.get(id) ?? [];
    const isSource = node.kind === 'InputLayer';
    if (isSource || (incoming.length > 0 && incoming.every((edge) => reachable.has(edge.source)))) reachable.add(id);
  }
  return reachable;
}

function reportCycles(index: ReturnType<typeof indexGraph>, blocked: string[], errors: GraphError[]): void {
  if (blocked.length === 0) return;
  const cycles = findCycles(index, blocked);
  const inCycle = new Set<string>();
  for (const cycle of cycles) {
    const names = cycle.map((id) => index.nodes.get(id)!.name);
    const path = [...names, names[0]].join(' → ');
    for (const id of cycle) {
      inCycle.add(id);
      errors.push({
        nodeId: id,
        code: 'cycle',
        message: `${index.nodes.get(id)!.name}: the connections form a cycle (${path}), and a layer cannot depend on its own output; remove one of these connections`,
      });
    }
  }
  for (const id of blocked) {
    if (inCycle.has(id)) continue;
    errors.push({
      nodeId: id,
      code: 'missing-input',
      message: `${index.nodes.get(id)!.name}: its input comes from a cycle, so its shape is unknown; break the cycle upstream`,
    });
  }
}

function reportDuplicateNames(graph: Graph, errors: GraphError[]): void {
  const firstByName = new Map<string, string>();
  for (const node of graph.nodes) {
    const first = firstByName.get(node.name);
    if (first === undefined) {
      firstByName.set(node.name, node.id);
      continue;
    }
    errors.push({
      nodeId: node.id,
      code: 'duplicate-name',
      message: `${node.name}: another layer already has this name, and Keras needs unique layer names; rename one of them`,
    });
  }
}

/**
 * Moves the weights of shared layers onto the node they share with, so each layer's weights
 * count once, and checks that every call of a shared layer creates the same weights.
 */
function applySharing(graph: Graph, nodes: Map<string, NodeInference>, errors: GraphError[]): void {
  for (const node of graph.nodes) {
    if (!node.sharedWith) continue;
    const own = nodes.get(node.id);
    const owner = nodes.get(node.sharedWith);
    if (!own) continue;
    if (!owner) {
      errors.push({ nodeId: node.id, code: 'shared-mismatch', message: `${node.name}: it shares weights with ${node.sharedWith}, which is not in the graph; unshare the layer` });
      continue;
    }
    const same = sameWeightShapes(own.weights, owner.weights);
    if (own.outputShapes && owner.outputShapes && !same) {
      errors.push({ nodeId: node.id, code: 'shared-mismatch', message: `${node.name}: a shared layer needs inputs that create the same weights on every call, but these differ from the first call's; give both calls the same input shape` });
    }
    nodes.set(node.id, { ...own, trainableParams: 0, nonTrainableParams: 0, shared: true });
  }
}

function sameWeightShapes(a: WeightSpec[], b: WeightSpec[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((weight, i) => weight.shape.length === b[i].shape.length && weight.shape.every((dim, axis) => dim === b[i].shape[axis]));
}

function sumTotals(nodes: Map<string, NodeInference>): { totalParams: number; trainableParams: number; nonTrainableParams: number } {
  let trainableParams = 0;
  let nonTrainableParams = 0;
  for (const node of nodes.values()) {
    trainableParams += node.trainableParams;
    nonTrainableParams += node.nonTrainableParams;
  }
  return { totalParams: trainableParams + nonTrainableParams, trainableParams, nonTrainableParams };
}

function isSequential(index: ReturnType<typeof indexGraph>, inputs: string[]): boolean {
  if (inputs.length !== 1) return false;
  for (const id of index.nodes.keys()) {
    if ((index.incoming.get(id) ?? []).length > 1) return false;
    if ((index.outgoing.get(id) ?? []).length > 1) return false;
  }
  return true;
}

function describeEnd(nodes: Map<string, GraphNode>, id: string): string {
  return nodes.get(id)?.name ?? `"${id}"`;
}

function describeKind(kind: unknown): string {
  return typeof kind === 'string' ? `"${kind}"` : `A layer of kind ${JSON.stringify(kind)}`;
}

/** Services for wrapper and nested-model kinds, bounded in depth. */
function makeContext(options: RunOptions): KindContext {
  const context: KindContext = {
    inferLayer(kindName, rawParams, inputs) {
      const kind = getLayerKind(kindName);
      if (!kind) {
        const error = notSupported(`${describeKind(kindName)} is not a layer kind Layerlab can wrap; choose a supported layer`);
        return { shape: error, weights: error };
      }
      const params: Params = withDefaults(kind, rawParams ?? {});
      for (const spec of kind.params) {
        const problem = validateParam(spec, params[spec.name]);
        if (problem) {
          const error: KindError = { ok: false, code: 'invalid-param', message: `wrapped ${kind.className} ${problem}` };
          return { shape: error, weights: error };
        }
      }
      const shape = kind.outputShapes(inputs, params, context);
      const weights: WeightResult = shape.ok ? kind.weights(inputs, params, context) : shape;
      return { shape, weights };
    },
    inferModel(inner, inputs) {
      if (options.depth >= MAX_NESTING) {
        const error = notSupported(`models nest more than ${MAX_NESTING} levels deep; flatten the model`);
        return { shape: error, weights: error };
      }
      return inferNestedModel(inner, inputs, options.depth + 1);
    },
  };
  return context;
}

function notSupported(message: string): KindError {
  return { ok: false, code: 'unsupported', message };
}

/**
 * A nested model called on `inputs`: its own inputs must accept them (same rank, no known size
 * that disagrees), and its outputs keep the caller's batch axis.
 */
function inferNestedModel(inner: Graph, inputs: Shape[], depth: number): { shape: ShapeResult; weights: WeightResult } {
  const result = run(inner, { depth });
  if (result.errors.length > 0) {
    const error: KindError = { ok: false, code: result.errors[0].code, message: `inside the nested model, ${result.errors[0].message}` };
    return { shape: error, weights: error };
  }
  if (result.inputs.length !== inputs.length) {
    const error: KindError = { ok: false, code: 'missing-input', message: `the nested model takes ${result.inputs.length} inputs but gets ${inputs.length}; connect one layer per model input` };
    return { shape: error, weights: error };
  }
  for (let i = 0; i < inputs.length; i += 1) {
    const expected = result.nodes.get(result.inputs[i])!.outputShapes![0];
    if (!compatible(expected, inputs[i])) {
      const error: KindError = { ok: false, code: 'merge-mismatch', message: `the nested model expects ${formatShape(expected)} on input ${i + 1} but gets ${formatShape(inputs[i])}; change the layer before it` };
      return { shape: error, weights: error };
    }
  }

  // A model called on sizes that its own Inputs leave unknown computes its outputs with those
  // sizes, as Keras and TensorFlow.js do, so the model is inferred again with them filled in.
  // Its weights were created from its own Inputs, so they come from the first pass.
  // NOTE: where the model's own Input has a known size that the caller leaves unknown, this keeps
  // the known size, while TensorFlow.js 4.22 computes that output size from the caller as unknown.
  const ownShapes = result.inputs.map((id) => result.nodes.get(id)!.outputShapes![0]);
  const filled = ownShapes.map((own, i) => own.map((dim, axis) => dim ?? inputs[i][axis]));
  const refined = filled.some((shape, i) => !sameShape(shape, ownShapes[i]))
    ? run(withInputShapes(inner, result.inputs, filled), { depth })
    : result;
  if (refined.errors.length > 0) {
    const error: KindError = { ok: false, code: refined.errors[0].code, message: `inside the nested model, called on ${inputs.map(formatShape).join(', ')}, ${refined.errors[0].message}` };
    return { shape: error, weights: error };
  }

  const batch = inputs[0]?.[0] ?? null;
  const shapes = refined.outputs.flatMap((id) => refined.nodes.get(id)!.outputShapes ?? []).map((shape) => [batch, ...shape.slice(1)]);
  const weights: WeightSpec[] = [];
  for (const id of result.order) {
    const node = result.nodes.get(id)!;
    if (!node.shared) weights.push(...node.weights);
  }
  return { shape: { ok: true, shapes }, weights: { ok: true, weights } };
}

/** Returns whether two shapes agree on every axis after the batch axis. */
function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((dim, axis) => axis === 0 || dim === b[axis]);
}

/** Copies `graph` with its Input layers `inputIds` set to the sizes of `shapes`, without the batch axis. */
function withInputShapes(graph: Graph, inputIds: string[], shapes: Shape[]): Graph {
  const shapeById = new Map(inputIds.map((id, i) => [id, shapes[i].slice(1)]));
  const nodes = graph.nodes.map((node) => {
    const shape = shapeById.get(node.id);
    return shape ? { ...node, params: { ...node.params, shape } } : node;
  });
  return { nodes, edges: graph.edges };
}

function compatible(expected: Shape, actual: Shape): boolean {
  if (expected.length !== actual.length) return false;
  return expected.every((dim, axis) => axis === 0 || dim === null || actual[axis] === null || dim === actual[axis]);
}

function failedInference(graph: Graph, error: unknown): Inference {
  const nodes = new Map<string, NodeInference>();
  for (const node of graph.nodes ?? []) nodes.set(node.id, emptyInference([]));
  const reason = error instanceof Error ? error.message : String(error);
  const first = graph.nodes?.[0]?.id ?? '';
  return {
    nodes,
    edgeShapes: new Map(),
    order: [...nodes.keys()],
    inputs: [],
    outputs: [],
    sequential: false,
    totalParams: 0,
    trainableParams: 0,
    nonTrainableParams: 0,
    errors: [{ nodeId: first, code: 'unsupported', message: `Inference failed on this graph (${reason}); undo the last edit and report the graph that caused it` }],
  };
}
