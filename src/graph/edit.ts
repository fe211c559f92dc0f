/**
 * Pure edits of a graph: each takes a graph and returns a new one, leaving the input untouched.
 * The editor's store calls these, so every edit is one value change that undo can record.
 * New ids and names are derived from the graph itself, never from a counter, so they stay
 * unique after paste, import and reload.
 */
import { defaultParams, getLayerKind } from '../layers';
import { layerBaseName, nextEdgeId, nextNodeId, uniqueLayerName } from './templates';
import { wouldCreateCycle } from './topology';
import type { Graph, GraphEdge, GraphFix, GraphNode, ParamValue, Params } from './types';

export interface Position {
  x: number;
  y: number;
}

/** Vertical distance between layers when an edit makes room for a new one, in flow pixels. */
export const ROW_GAP = 120;

/** Offset of pasted nodes from the copied ones, so the copies do not hide the originals. */
export const PASTE_OFFSET: Position = { x: 40, y: 40 };

/**
 * Picks the first free Keras-style name from a stem: `dense`, then `dense_1`, `dense_2`
 * (from `input_1` for inputs, as tf.keras 2 numbers them). A `base` that already ends in `_N`
 * is stripped to its stem first, so a copy of `dense_1` becomes `dense_2`, not `dense_1_1`.
 */
export function uniqueName(usedNames: ReadonlySet<string>, base: string, kind?: string): string {
  const stem = base.replace(/_\d+$/, '') || 'layer';
  const firstSuffix = kind === 'InputLayer' ? 1 : 0;
  for (let suffix = firstSuffix; ; suffix += 1) {
    const candidate = suffix === 0 ? stem : `${stem}_${suffix}`;
    if (!usedNames.has(candidate)) return candidate;
  }
}

export interface AddNodeResult {
  graph: Graph;
  nodeId: string;
}

/** Adds a layer of `className` with its default parameters and a fresh id and name. */
export function addNode(graph: Graph, className: string, position: Position, params?: Params): AddNodeResult {
  const kind = getLayerKind(className);
  const node: GraphNode = {
    id: nextNodeId(graph),
    kind: className,
    name: uniqueLayerName(graph, className),
    params: params ?? (kind ? defaultParams(kind) : {}),
    position: { x: position.x, y: position.y },
  };
  return { graph: { nodes: [...graph.nodes, node], edges: graph.edges }, nodeId: node.id };
}

export type ConnectRejection = 'missing-node' | 'self-loop' | 'duplicate' | 'too-many-inputs' | 'cycle';

export type ConnectResult =
  | { ok: true; graph: Graph; edge: GraphEdge }
  | { ok: false; code: ConnectRejection; reason: string };

function describeInputLimit(max: number): string {
  if (max === 0) return 'no inputs';
  if (max === 1) return 'one input';
  return `${max} inputs`;
}

/**
 * Connects the output of `sourceId` to a new input of `targetId`, or returns why it cannot.
 * The reasons are a self-loop, a connection that already exists, an edge that would close a
 * cycle, and a target that already has as many inputs as its kind takes. The new edge becomes
 * the target's last input, which orders the inputs of merge layers.
 */
export function connect(graph: Graph, sourceId: string, targetId: string, sourceOutput = 0): ConnectResult {
  const source = graph.nodes.find((node) => node.id === sourceId);
  const target = graph.nodes.find((node) => node.id === targetId);
  if (!source || !target) {
    const missing = source ? targetId : sourceId;
    return { ok: false, code: 'missing-node', reason: `Layer ${missing} was not found; it may have been deleted` };
  }
  if (sourceId === targetId) {
    return { ok: false, code: 'self-loop', reason: `${source.name} cannot take its own output as input` };
  }

  const incoming = graph.edges.filter((edge) => edge.target === targetId);
  const duplicate = incoming.some((edge) => edge.source === sourceId && (edge.sourceOutput ?? 0) === sourceOutput);
  if (duplicate) {
    return { ok: false, code: 'duplicate', reason: `${source.name} is already connected to ${target.name}` };
  }

  // A layer that takes no inputs is the plainer reason, so it comes before the cycle check.
  const kind = getLayerKind(target.kind);
  const full = kind !== undefined && incoming.length >= kind.inputs.max;
  if (full && kind.inputs.max === 0) {
    return { ok: false, code: 'too-many-inputs', reason: `${target.name} (${kind.className}) takes no inputs; connect into a later layer instead` };
  }
  if (wouldCreateCycle(graph, sourceId, targetId)) {
    return {
      ok: false,
      code: 'cycle',
      reason: `Connecting ${source.name} to ${target.name} would make a cycle, because ${target.name} already feeds ${source.name}`,
    };
  }
  if (full) {
    return {
      ok: false,
      code: 'too-many-inputs',
      reason: `${target.name} (${kind.className}) takes ${describeInputLimit(kind.inputs.max)} and already has ${incoming.length}; merge the inputs with Concatenate or Add first`,
    };
  }

  const targetInput = incoming.reduce((largest, edge) => Math.max(largest, (edge.targetInput ?? 0) + 1), 0);
  const edge: GraphEdge = { id: nextEdgeId(graph), source: sourceId, target: targetId };
  if (sourceOutput !== 0) edge.sourceOutput = sourceOutput;
  if (incoming.length > 0) edge.targetInput = targetInput;
  return { ok: true, graph: { nodes: graph.nodes, edges: [...graph.edges, edge] }, edge };
}

/**
 * Numbers the inputs of every node `0, 1, …` in their current order, after a deletion left
 * gaps. Edges of single-input nodes lose their `targetInput`.
 */
function renumberInputs(edges: GraphEdge[]): GraphEdge[] {
  const byTarget = new Map<string, GraphEdge[]>();
  for (const edge of edges) {
    const list = byTarget.get(edge.target) ?? [];
    list.push(edge);
    byTarget.set(edge.target, list);
  }
  const renumbered = new Map<GraphEdge, GraphEdge>();
  for (const list of byTarget.values()) {
    const ordered = [...list].sort((a, b) => (a.targetInput ?? 0) - (b.targetInput ?? 0));
    ordered.forEach((edge, index) => {
      const inputIndex = ordered.length > 1 ? index : undefined;
      if (edge.targetInput === inputIndex) return;
      const { targetInput: _dropped, ...rest } = edge;
      renumbered.set(edge, inputIndex === undefined ? rest : { ...rest, targetInput: inputIndex });
    });
  }
  if (renumbered.size === 0) return edges;
  return edges.map((edge) => renumbered.get(edge) ?? edge);
}

/** Deletes nodes, their edges, and the given edges. */
export function deleteElements(graph: Graph, nodeIds: Iterable<string>, edgeIds: Iterable<string> = []): Graph {
  const deadNodes = new Set(nodeIds);
  const deadEdges = new Set(edgeIds);
  if (deadNodes.size === 0 && deadEdges.size === 0) return graph;

  const nodes = graph.nodes.filter((node) => !deadNodes.has(node.id));
  const edges = graph.edges.filter(
    (edge) => !deadEdges.has(edge.id) && !deadNodes.has(edge.source) && !deadNodes.has(edge.target),
  );
  if (nodes.length === graph.nodes.length && edges.length === graph.edges.length) return graph;

  // A node whose shared layer was deleted gets its own weights again.
  const unshared = nodes.map((node) => {
    if (!node.sharedWith || !deadNodes.has(node.sharedWith)) return node;
    const { sharedWith: _dropped, ...rest } = node;
    return rest;
  });
  return { nodes: unshared, edges: renumberInputs(edges) };
}

/** Moves nodes to new positions; nodes not named keep theirs. */
export function moveNodes(graph: Graph, positions: ReadonlyMap<string, Position>): Graph {
  if (positions.size === 0) return graph;
  let changed = false;
  const nodes = graph.nodes.map((node) => {
    const position = positions.get(node.id);
    if (!position) return node;
    if (node.position && node.position.x === position.x && node.position.y === position.y) return node;
    changed = true;
    return { ...node, position: { x: position.x, y: position.y } };
  });
  return changed ? { nodes, edges: graph.edges } : graph;
}

function updateNode(graph: Graph, nodeId: string, update: (node: GraphNode) => GraphNode): Graph {
  let changed = false;
  const nodes = graph.nodes.map((node) => {
    if (node.id !== nodeId) return node;
    const next = update(node);
    if (next !== node) changed = true;
    return next;
  });
  return changed ? { nodes, edges: graph.edges } : graph;
}

/** Sets one parameter of one node. */
export function setParam(graph: Graph, nodeId: string, param: string, value: ParamValue): Graph {
  return updateNode(graph, nodeId, (node) => ({ ...node, params: { ...node.params, [param]: value } }));
}

/** Renames one node; the caller checks that the name is valid and free. */
export function renameNode(graph: Graph, nodeId: string, name: string): Graph {
  return updateNode(graph, nodeId, (node) => (node.name === name ? node : { ...node, name }));
}

/**
 * Checks a layer name as Keras does: not empty, no `/` (Keras uses it to scope weights), and
 * unique within the graph. Returns a message, or `null` when the name is valid.
 */
export function validateLayerName(graph: Graph, nodeId: string, name: string): string | null {
  if (name.trim() === '') return 'The layer name is empty; type a name such as dense_1';
  if (name !== name.trim()) return `The layer name "${name}" starts or ends with a space; remove it`;
  if (name.includes('/')) return `The layer name "${name}" contains "/", which Keras reserves for weight scopes; remove it`;
  const other = graph.nodes.find((node) => node.name === name && node.id !== nodeId);
  if (other) return `Another layer is already named "${name}"; choose a different name`;
  return null;
}

/** A set of nodes and the edges among them, as copied to the clipboard. */
export type Fragment = Graph;

/** Copies the given nodes and the edges that join two of them. */
export function copyFragment(graph: Graph, nodeIds: Iterable<string>): Fragment {
  const chosen = new Set(nodeIds);
  const nodes = graph.nodes.filter((node) => chosen.has(node.id));
  const edges = graph.edges.filter((edge) => chosen.has(edge.source) && chosen.has(edge.target));
  return JSON.parse(JSON.stringify({ nodes, edges })) as Fragment;
}

export interface PasteResult {
  graph: Graph;
  /** Ids of the pasted nodes, in the fragment's order. */
  nodeIds: string[];
}

/**
 * Pastes a fragment with fresh ids for every node and edge and fresh Keras-style names,
 * offset from where it was copied. Edges keep their wiring among the pasted nodes, and
 * `sharedWith` links point to the pasted copy when the shared layer was pasted too.
 */
export function pasteFragment(graph: Graph, fragment: Fragment, offset: Position = PASTE_OFFSET): PasteResult {
  let working: Graph = graph;
  const idMap = new Map<string, string>();
  const usedNames = new Set(graph.nodes.map((node) => node.name));
  const pasted: GraphNode[] = [];

  for (const node of fragment.nodes) {
    const id = nextNodeId(working);
    const name = uniqueName(usedNames, node.name || layerBaseName(node.kind), node.kind);
    usedNames.add(name);
    idMap.set(node.id, id);
    const position = node.position ?? { x: 0, y: 0 };
    const copy: GraphNode = {
      ...(JSON.parse(JSON.stringify(node)) as GraphNode),
      id,
      name,
      position: { x: position.x + offset.x, y: position.y + offset.y },
    };
    pasted.push(copy);
    working = { nodes: [...working.nodes, copy], edges: working.edges };
  }

  // A shared layer points at the pasted copy of its owner, or else at the original owner if
  // that is still in the graph. Without either, the copy owns its weights.
  const existingIds = new Set(graph.nodes.map((node) => node.id));
  for (const node of pasted) {
    if (!node.sharedWith) continue;
    const owner = idMap.get(node.sharedWith) ?? (existingIds.has(node.sharedWith) ? node.sharedWith : undefined);
    if (owner) node.sharedWith = owner;
    else delete node.sharedWith;
  }

  const edges = [...working.edges];
  for (const edge of fragment.edges) {
    const source = idMap.get(edge.source);
    const target = idMap.get(edge.target);
    if (!source || !target) continue;
    const id = nextEdgeId({ nodes: [], edges });
    edges.push({ ...edge, id, source, target });
  }
  return { graph: { nodes: working.nodes, edges }, nodeIds: pasted.map((node) => node.id) };
}

/** Collects every node downstream of `startId` along edges, including `startId` itself. */
function downstreamOf(graph: Graph, startId: string): Set<string> {
  const seen = new Set<string>([startId]);
  const stack = [startId];
  while (stack.length > 0) {
    const id = stack.pop()!;
    for (const edge of graph.edges) {
      if (edge.source === id && !seen.has(edge.target)) {
        seen.add(edge.target);
        stack.push(edge.target);
      }
    }
  }
  return seen;
}

/**
 * Inserts a new layer on input `input` of `nodeId` (counted from 0 in `targetInput` order, so by
 * default the first): the edge that fed that input now feeds the new layer, and the new layer
 * feeds the node. The node and everything downstream of it move down one row to make room.
 */
export function insertBefore(graph: Graph, nodeId: string, className: string, params: Params = {}, input = 0): AddNodeResult {
  const target = graph.nodes.find((node) => node.id === nodeId);
  if (!target) return { graph, nodeId: '' };

  const position = target.position ?? { x: 0, y: 0 };
  const shifted = downstreamOf(graph, nodeId);
  const moved: Graph = {
    nodes: graph.nodes.map((node) =>
      shifted.has(node.id) && node.position ? { ...node, position: { x: node.position.x, y: node.position.y + ROW_GAP } } : node,
    ),
    edges: graph.edges,
  };

  const kind = getLayerKind(className);
  const filledParams = { ...(kind ? defaultParams(kind) : {}), ...params };
  const added = addNode(moved, className, position, filledParams);
  const incoming = moved.edges
    .filter((edge) => edge.target === nodeId)
    .sort((a, b) => (a.targetInput ?? 0) - (b.targetInput ?? 0));
  const first = incoming[input] ?? incoming[0];

  const newEdgeId = nextEdgeId(added.graph);
  const intoTarget: GraphEdge = { id: newEdgeId, source: added.nodeId, target: nodeId };
  if (first?.targetInput !== undefined) intoTarget.targetInput = first.targetInput;

  const edges = added.graph.edges.map((edge) => {
    if (edge !== first) return edge;
    const { targetInput: _dropped, ...rest } = edge;
    return { ...rest, target: added.nodeId };
  });
  return { graph: { nodes: added.graph.nodes, edges: [...edges, intoTarget] }, nodeId: added.nodeId };
}

/**
 * Adds a new layer right after `nodeId` and connects it: the layers that `nodeId` fed from its first
 * output are fed by the new layer instead, and they and everything below them move down one row to make room. A
 * kind that takes no input (an InputLayer) cannot follow a layer, and the graph is returned as is
 * with an empty `nodeId`. Parameters missing from `params` take their defaults.
 */
export function insertAfter(graph: Graph, nodeId: string, className: string, params: Params = {}): AddNodeResult {
  const source = graph.nodes.find((node) => node.id === nodeId);
  const kind = getLayerKind(className);
  if (!source || (kind && kind.inputs.max === 0)) return { graph, nodeId: '' };

  const shifted = downstreamOf(graph, nodeId);
  shifted.delete(nodeId);
  const moved: Graph = {
    nodes: graph.nodes.map((node) =>
      shifted.has(node.id) && node.position ? { ...node, position: { x: node.position.x, y: node.position.y + ROW_GAP } } : node,
    ),
    edges: graph.edges,
  };
  const origin = source.position ?? { x: 0, y: 0 };
  const added = addNode(moved, className, { x: origin.x, y: origin.y + ROW_GAP }, { ...(kind ? defaultParams(kind) : {}), ...params });

  // Only the first output moves to the new layer, which has one output; others keep their edges.
  const edges = added.graph.edges.map((edge) => {
    if (edge.source !== nodeId || (edge.sourceOutput ?? 0) !== 0) return edge;
    const { sourceOutput: _dropped, ...rest } = edge;
    return { ...rest, source: added.nodeId };
  });
  const intoNew: GraphEdge = { id: nextEdgeId(added.graph), source: nodeId, target: added.nodeId };
  return { graph: { nodes: added.graph.nodes, edges: [...edges, intoNew] }, nodeId: added.nodeId };
}

/**
 * Removes a layer from a chain: the layer that fed it now feeds the layers it fed, in the same
 * input positions, and the layers downstream move up into its place. A layer with no input or with
 * several inputs is simply deleted with its connections.
 */
export function removeFromChain(graph: Graph, nodeId: string): Graph {
  const incoming = graph.edges.filter((edge) => edge.target === nodeId);
  if (incoming.length !== 1) return deleteElements(graph, [nodeId]);
  const [feed] = incoming;

  // The layers below move up by the gap between the removed layer and the nearest layer it fed,
  // so the nearest takes its place whatever spacing the layout used.
  const removed = graph.nodes.find((node) => node.id === nodeId);
  const fed = new Set(graph.edges.filter((edge) => edge.source === nodeId).map((edge) => edge.target));
  const gaps = graph.nodes.flatMap((node) => (fed.has(node.id) && node.position && removed?.position ? [node.position.y - removed.position.y] : []));
  const positiveGaps = gaps.filter((gap) => gap > 0);
  const rise = positiveGaps.length > 0 ? Math.min(...positiveGaps) : 0;
  const shifted = downstreamOf(graph, nodeId);
  const nodes = graph.nodes.map((node) => {
    if (!shifted.has(node.id) || node.id === nodeId || !node.position || rise === 0) return node;
    return { ...node, position: { x: node.position.x, y: node.position.y - rise } };
  });

  const edges = graph.edges.map((edge) => {
    if (edge.source !== nodeId) return edge;
    const { sourceOutput: _dropped, ...rest } = edge;
    return feed.sourceOutput === undefined ? { ...rest, source: feed.source } : { ...rest, source: feed.source, sourceOutput: feed.sourceOutput };
  });
  return deleteElements({ nodes, edges }, [nodeId]);
}

/** Applies a fix that inference proposed for an error. */
export function applyFix(graph: Graph, fix: GraphFix): Graph {
  switch (fix.type) {
    case 'insert-before':
      return insertBefore(graph, fix.nodeId, fix.kind, fix.params, fix.input).graph;
    case 'insert-after':
      return insertAfter(graph, fix.nodeId, fix.kind, fix.params).graph;
    case 'set-param':
      return setParam(graph, fix.nodeId, fix.param, fix.value);
    case 'remove-node':
      return removeFromChain(graph, fix.nodeId);
    case 'remove-edge':
      return deleteElements(graph, [], [fix.edgeId]);
    case 'combined':
      return fix.fixes.reduce(applyFix, graph);
  }
}
