/**
 * Random graphs for the property that inference agrees with TensorFlow.js: chains and DAGs with
 * merges, random kinds from the catalogue that tfjs can build, random parameters (mostly valid,
 * sometimes not), and sizes small enough that a thousand graphs build in seconds.
 */
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import { LAYER_KINDS } from '../../src/layers';
import type { LayerKind, ParamSpec } from '../../src/layers/types';
import type { Graph, GraphEdge, GraphNode, ParamValue, Params, Shape } from '../../src/graph/types';
import { compileGraph } from '../../src/compile/compile';
import { inferGraph } from '../../src/graph/infer';
import { indexGraph, topologicalOrder } from '../../src/graph/topology';

type Generate = fc.GeneratorValue;

const MERGE_KINDS = new Set(['Add', 'Concatenate', 'Multiply', 'Average', 'Subtract', 'Maximum', 'Minimum']);

/** Kinds whose parameters hold other layers or models; they have their own tests. */
const CONTAINER_PARAM_TYPES = new Set(['layer', 'graph']);

function tfjsHasClass(className: string): boolean {
  const map = tf.serialization.SerializationMap.getMap().classNameMap as Record<string, unknown>;
  return Object.hasOwn(map, className);
}

/** Catalogue kinds the generator may place: single-input, buildable by tfjs, no nested layers. */
export function candidateKinds(): { single: LayerKind[]; merges: LayerKind[] } {
  const usable = LAYER_KINDS.filter(
    (kind) =>
      kind.className !== 'InputLayer' &&
      tfjsHasClass(kind.className) &&
      !kind.params.some((spec) => CONTAINER_PARAM_TYPES.has(spec.type)),
  );
  return {
    single: usable.filter((kind) => !MERGE_KINDS.has(kind.className)),
    merges: usable.filter((kind) => MERGE_KINDS.has(kind.className)),
  };
}

/** Keeps counts small: these parameters size weights, so large values only slow tfjs down. */
const SIZE_PARAMS = new Set(['units', 'filters', 'outputDim', 'inputDim', 'depthMultiplier', 'n']);

/**
 * Draws one random value for a parameter. With `breakIt` it draws an invalid one (zero,
 * negative, fractional, out of range) where the type has one.
 */
export function randomParamValue(spec: ParamSpec, integer: (min: number, max: number) => number, breakIt = false): ParamValue {
  if (spec.hidden) return spec.default;
  if (spec.nullable && integer(0, 5) === 0) return null;

  switch (spec.type) {
    case 'int': {
      if (breakIt) return [0, -1, 2.5][integer(0, 2)];
      if (spec.name === 'axis') return [-1, 1, 2][integer(0, 2)];
      const min = spec.min ?? 1;
      const max = SIZE_PARAMS.has(spec.name) ? Math.max(min, 8) : Math.min(spec.max ?? min + 3, min + 3);
      return integer(min, Math.max(min, max));
    }
    case 'float': {
      if (breakIt) return [1.5, -0.25][integer(0, 1)];
      const min = spec.min ?? 0;
      const max = spec.max ?? 1;
      return Math.round((min + ((max - min) * integer(0, 9)) / 10) * 100) / 100;
    }
    case 'bool':
      return integer(0, 1) === 1;
    case 'enum':
      return spec.options[integer(0, spec.options.length - 1)];
    case 'ints': {
      if (breakIt) return Array.from({ length: spec.length }, () => 0);
      return Array.from({ length: spec.length }, () => integer(1, 3));
    }
    case 'shape': {
      const rank = integer(1, 3);
      return Array.from({ length: rank }, () => integer(1, 4));
    }
    case 'regularizer':
      return integer(0, 3) === 0 ? { l1: 0, l2: 0.01 } : null;
    default:
      return spec.default;
  }
}

function randomInputShape(integer: (min: number, max: number) => number): Shape {
  const rank = integer(1, 3);
  return Array.from({ length: rank }, () => (integer(0, 9) === 0 ? null : integer(1, 12)));
}

/**
 * A random graph: one or two inputs, then `length` steps that each add a single-input layer on
 * a random earlier node or, now and then, a merge of two earlier nodes.
 */
export function randomGraph(g: Generate): Graph {
  const integer = (min: number, max: number): number => g(fc.integer, { min, max });
  const { single, merges } = candidateKinds();
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const inputCount = integer(0, 3) === 0 ? 2 : 1;
  const dtype = integer(0, 5) === 0 ? 'int32' : 'float32';

  for (let i = 0; i < inputCount; i += 1) {
    nodes.push({ id: `n${nodes.length}`, kind: 'InputLayer', name: `input_${i}`, params: { shape: randomInputShape(integer), dtype } });
  }

  const length = integer(1, 6);
  for (let step = 0; step < length; step += 1) {
    // Most steps retry until inference accepts the new layer, so that enough graphs are valid
    // to compare shapes and counts. The other steps keep whatever came, errors included.
    const attempts = integer(0, 4) === 0 ? 1 : 4;
    for (let attempt = 0; attempt < attempts; attempt += 1) {
      const candidate = randomStep(integer, nodes, edges, single, merges);
      const accepted = attempt === attempts - 1 || !inferGraph(candidate).errors.some((error) => error.nodeId === candidate.nodes.at(-1)!.id);
      if (accepted) {
        nodes.splice(0, nodes.length, ...candidate.nodes);
        edges.splice(0, edges.length, ...candidate.edges);
        break;
      }
    }
  }
  return { nodes, edges };
}

/** The graph with one more random layer, fed by one earlier node or merging two. */
function randomStep(
  integer: (min: number, max: number) => number,
  nodes: GraphNode[],
  edges: GraphEdge[],
  single: LayerKind[],
  merges: LayerKind[],
): Graph {
  const merge = merges.length > 0 && nodes.length >= 2 && integer(0, 3) === 0;
  const kind = merge ? merges[integer(0, merges.length - 1)] : single[integer(0, single.length - 1)];
  const broken = kind.params.length > 0 && integer(0, 9) === 0 ? integer(0, kind.params.length - 1) : -1;
  const params: Params = {};
  kind.params.forEach((spec, position) => {
    params[spec.name] = randomParamValue(spec, integer, position === broken);
  });
  const id = `n${nodes.length}`;
  const node: GraphNode = { id, kind: kind.className, name: `${kind.className.toLowerCase()}_${nodes.length}`, params };

  const sources = merge ? pickTwo(integer, nodes.length) : [integer(Math.max(0, nodes.length - 3), nodes.length - 1)];
  const newEdges = sources.map((source, position) => ({ id: `e${edges.length + position}`, source: `n${source}`, target: id, targetInput: position }));
  return { nodes: [...nodes, node], edges: [...edges, ...newEdges] };
}

function pickTwo(integer: (min: number, max: number) => number, count: number): number[] {
  const first = integer(0, count - 1);
  let second = integer(0, count - 2);
  if (second >= first) second += 1;
  return [first, second];
}

/** The subgraph of a node and everything upstream of it, so tfjs can build it alone. */
function upstreamOf(graph: Graph, nodeId: string): Graph {
  const index = indexGraph(graph);
  const keep = new Set<string>([nodeId]);
  const stack = [nodeId];
  while (stack.length > 0) {
    const id = stack.pop()!;
    for (const edge of index.incoming.get(id) ?? []) {
      if (!keep.has(edge.source)) {
        keep.add(edge.source);
        stack.push(edge.source);
      }
    }
  }
  return {
    nodes: graph.nodes.filter((node) => keep.has(node.id)),
    edges: graph.edges.filter((edge) => keep.has(edge.source) && keep.has(edge.target)),
  };
}

export type TfjsBuild =
  | { ok: true; model: tf.LayersModel }
  | { ok: false; failingNode: string | null; message: string };

/**
 * Builds the graph with tfjs; when tfjs rejects it, finds the first node (in topological order)
 * whose upstream subgraph tfjs cannot build: the node tfjs rejects.
 */
export async function buildWithTfjs(graph: Graph): Promise<TfjsBuild> {
  try {
    return { ok: true, model: await compileGraph(graph) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const { order } = topologicalOrder(graph, indexGraph(graph));
    for (const id of order) {
      try {
        await compileGraph(upstreamOf(graph, id));
      } catch {
        return { ok: false, failingNode: id, message };
      }
    }
    return { ok: false, failingNode: null, message };
  }
}

/** Ids of a node and all nodes upstream of it. */
export function upstreamIds(graph: Graph, nodeId: string): Set<string> {
  return new Set(upstreamOf(graph, nodeId).nodes.map((node) => node.id));
}
