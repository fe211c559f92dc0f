/**
 * Automatic layout with elkjs: layered, top to bottom, inputs first. elkjs is about 1.5 MB of
 * JavaScript, so it loads on first use through a dynamic import and never delays first paint.
 */
import type { ELK, ElkNode } from 'elkjs/lib/elk-api';
import type { Graph } from '../graph/types';

export interface NodeSize {
  width: number;
  height: number;
}

/** Size assumed for a node the canvas has not measured yet, in flow pixels. */
export const DEFAULT_NODE_SIZE: NodeSize = { width: 220, height: 58 };

let elkPromise: Promise<ELK> | null = null;

function loadElk(): Promise<ELK> {
  elkPromise ??= import('elkjs/lib/elk.bundled.js').then(
    (module) => new module.default(),
    (error: unknown) => {
      // Let the next layout try the import again, e.g. after a network failure.
      elkPromise = null;
      throw error;
    },
  );
  return elkPromise;
}

const LAYOUT_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.layered.spacing.nodeNodeBetweenLayers': '40',
  'elk.spacing.nodeNode': '48',
  // The canvas draws each edge straight from handle to handle, not along elkjs's route. A wide
  // gap between a long edge and the nodes beside it keeps a skip connection clear of them.
  'elk.spacing.edgeNode': '240',
  'elk.layered.nodePlacement.bk.fixedAlignment': 'BALANCED',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.edgeRouting': 'SPLINES',
};

/**
 * Places every node of `graph` and returns the graph with new positions; ids, params and edges
 * are unchanged. Edges that name a missing node are left out of the layout. Nodes in `withNotes`
 * show an error note to their right, and get room for it so that it covers no other node.
 */
export async function layoutGraph(
  graph: Graph,
  sizes: ReadonlyMap<string, NodeSize> = new Map(),
  withNotes: ReadonlySet<string> = new Set(),
): Promise<Graph> {
  if (graph.nodes.length === 0) return graph;
  const elk = await loadElk();

  const ids = new Set(graph.nodes.map((node) => node.id));
  const root: ElkNode = {
    id: '__root__',
    layoutOptions: LAYOUT_OPTIONS,
    children: graph.nodes.map((node) => {
      const size = sizes.get(node.id) ?? DEFAULT_NODE_SIZE;
      // Edges meet the node's own centre, so a widened box keeps the node in line with the
      // layers above and below it, and its note in the extra room on the right.
      const centre = size.width / 2;
      return {
        id: node.id,
        width: size.width + (withNotes.has(node.id) ? ERROR_NOTE_WIDTH : 0),
        height: size.height,
        layoutOptions: { 'elk.portConstraints': 'FIXED_POS' },
        ports: [
          { id: `${node.id}::in`, x: centre, y: 0, width: 0, height: 0, layoutOptions: { 'elk.port.side': 'NORTH' } },
          { id: `${node.id}::out`, x: centre, y: size.height, width: 0, height: 0, layoutOptions: { 'elk.port.side': 'SOUTH' } },
        ],
      };
    }),
    edges: graph.edges
      .filter((edge) => ids.has(edge.source) && ids.has(edge.target) && edge.source !== edge.target)
      .map((edge) => ({ id: edge.id, sources: [`${edge.source}::out`], targets: [`${edge.target}::in`] })),
  };

  const placed = await elk.layout(root);
  const positions = new Map<string, { x: number; y: number }>();
  for (const child of placed.children ?? []) {
    positions.set(child.id, { x: Math.round(child.x ?? 0), y: Math.round(child.y ?? 0) });
  }
  return {
    nodes: graph.nodes.map((node) => ({ ...node, position: positions.get(node.id) ?? node.position ?? { x: 0, y: 0 } })),
    edges: graph.edges,
  };
}

/** Horizontal and vertical steps of `gridLayout`, in flow pixels. */
const GRID_STEP = { x: DEFAULT_NODE_SIZE.width + 48, y: DEFAULT_NODE_SIZE.height + 56 };

/**
 * Places nodes at once without elkjs: each row contains the nodes at the same longest-path depth
 * from an input, centred under one another. Used until the elkjs layout arrives.
 */
export function gridLayout(graph: Graph): Graph {
  const depth = new Map<string, number>();
  const ids = new Set(graph.nodes.map((node) => node.id));
  const edges = graph.edges.filter((edge) => ids.has(edge.source) && ids.has(edge.target));

  // Relax depths along edges; a cycle stops growing after one pass per node.
  for (const node of graph.nodes) depth.set(node.id, 0);
  for (let pass = 0; pass < graph.nodes.length; pass += 1) {
    let changed = false;
    for (const edge of edges) {
      const viaEdge = depth.get(edge.source)! + 1;
      if (viaEdge > depth.get(edge.target)! && viaEdge < graph.nodes.length) {
        depth.set(edge.target, viaEdge);
        changed = true;
      }
    }
    if (!changed) break;
  }

  const rows = new Map<number, string[]>();
  for (const node of graph.nodes) {
    const row = rows.get(depth.get(node.id)!) ?? [];
    row.push(node.id);
    rows.set(depth.get(node.id)!, row);
  }
  const positions = new Map<string, { x: number; y: number }>();
  for (const [row, members] of rows) {
    members.forEach((id, column) => {
      positions.set(id, { x: (column - (members.length - 1) / 2) * GRID_STEP.x, y: row * GRID_STEP.y });
    });
  }
  return { nodes: graph.nodes.map((node) => ({ ...node, position: positions.get(node.id)! })), edges: graph.edges };
}

/** Checks whether every node of `graph` has a position. */
export function hasPositions(graph: Graph): boolean {
  return graph.nodes.every((node) => node.position !== undefined);
}

/** Room kept free around a node placed by `freeSpot`, in flow pixels. */
const FREE_SPOT_GAP = 24;

/**
 * Width of the note a node shows beside it while it has an error, with its offset from the node,
 * in flow pixels: 250 and 14, as `.layer-node__error` in styles.css sets them.
 */
export const ERROR_NOTE_WIDTH = 264;

/**
 * Returns the free spot nearest to `preferred` (a top-left corner) for a new node of the default
 * size: one whose box, with a gap around it, overlaps no node's box. A new layer has no input
 * yet, so its box includes the error note to its right. Spots are tried on a grid of node-sized
 * steps around `preferred`; when all are taken, `preferred` moved below the lowest node.
 */
export function freeSpot(graph: Graph, preferred: { x: number; y: number }, sizes: ReadonlyMap<string, NodeSize> = new Map()): { x: number; y: number } {
  const width = DEFAULT_NODE_SIZE.width + ERROR_NOTE_WIDTH;
  const { height } = DEFAULT_NODE_SIZE;
  const boxes = graph.nodes.flatMap((node) => (node.position ? [{ ...node.position, ...(sizes.get(node.id) ?? DEFAULT_NODE_SIZE) }] : []));
  const free = (spot: { x: number; y: number }) =>
    boxes.every(
      (box) =>
        spot.x + width + FREE_SPOT_GAP <= box.x || box.x + box.width + FREE_SPOT_GAP <= spot.x || spot.y + height + FREE_SPOT_GAP <= box.y || box.y + box.height + FREE_SPOT_GAP <= spot.y,
    );
  const candidates: { x: number; y: number }[] = [];
  for (let row = -6; row <= 6; row++) {
    for (let column = -3; column <= 3; column++) {
      candidates.push({ x: preferred.x + column * (DEFAULT_NODE_SIZE.width + FREE_SPOT_GAP), y: preferred.y + row * (height + FREE_SPOT_GAP) });
    }
  }
  const distance = (spot: { x: number; y: number }) => Math.hypot(spot.x - preferred.x, spot.y - preferred.y);
  candidates.sort((a, b) => distance(a) - distance(b));
  const found = candidates.find(free);
  if (found) return found;
  const lowest = Math.max(...boxes.map((box) => box.y + box.height));
  return { x: preferred.x, y: lowest + FREE_SPOT_GAP };
}

/**
 * Returns where to move copies of `nodes` (a pasted group) so that they overlap no node of
 * `graph`: the free offset nearest to one step right of the originals. Each box includes room for
 * an error note, since a pasted copy often lacks its inputs. When no offset in node-sized steps
 * right and down is free, the copies go below the lowest node.
 */
export function freeOffset(graph: Graph, nodes: readonly { position?: { x: number; y: number } }[]): { x: number; y: number } {
  const width = DEFAULT_NODE_SIZE.width + ERROR_NOTE_WIDTH;
  const { height } = DEFAULT_NODE_SIZE;
  const placed = graph.nodes.flatMap((node) => (node.position ? [node.position] : []));
  const copies = nodes.map((node) => node.position ?? { x: 0, y: 0 });
  const overlaps = (a: { x: number; y: number }, b: { x: number; y: number }) =>
    a.x < b.x + width + FREE_SPOT_GAP && b.x < a.x + width + FREE_SPOT_GAP && a.y < b.y + height + FREE_SPOT_GAP && b.y < a.y + height + FREE_SPOT_GAP;
  const free = (offset: { x: number; y: number }) =>
    copies.every((copy) => placed.every((position) => !overlaps({ x: copy.x + offset.x, y: copy.y + offset.y }, position)));

  const step = { x: width + FREE_SPOT_GAP, y: height + FREE_SPOT_GAP };
  const candidates: { x: number; y: number }[] = [];
  for (let row = 0; row <= 8; row++) {
    for (let column = 0; column <= 6; column++) {
      if (row > 0 || column > 0) candidates.push({ x: column * step.x, y: row * step.y });
    }
  }
  const distance = (offset: { x: number; y: number }) => Math.hypot(offset.x - step.x, offset.y);
  candidates.sort((a, b) => distance(a) - distance(b));
  const found = candidates.find(free);
  if (found) return found;
  const lowest = Math.max(0, ...placed.map((position) => position.y + height));
  const top = Math.min(...copies.map((copy) => copy.y));
  return { x: 0, y: lowest + FREE_SPOT_GAP - top };
}
