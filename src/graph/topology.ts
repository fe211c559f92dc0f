/**
 * Structure of a graph apart from shapes: node and edge lookup, inputs in order, topological
 * order, and the cycles that prevent one.
 */
import type { Graph, GraphEdge, GraphNode } from './types';

export interface GraphIndex {
  nodes: Map<string, GraphNode>;
  /** Incoming edges per node id, ordered by `targetInput`, then by their place in the graph. */
  incoming: Map<string, GraphEdge[]>;
  outgoing: Map<string, GraphEdge[]>;
  /** Edges whose source or target is not a node of the graph. */
  danglingEdges: GraphEdge[];
}

export function indexGraph(graph: Graph): GraphIndex {
  const nodes = new Map<string, GraphNode>();
  const incoming = new Map<string, GraphEdge[]>();
  const outgoing = new Map<string, GraphEdge[]>();
  for (const node of graph.nodes) {
    if (nodes.has(node.id)) continue;
    nodes.set(node.id, node);
    incoming.set(node.id, []);
    outgoing.set(node.id, []);
  }

  const danglingEdges: GraphEdge[] = [];
  for (const edge of graph.edges) {
    const into = incoming.get(edge.target);
    const from = outgoing.get(edge.source);
    if (!into || !from) {
      danglingEdges.push(edge);
      continue;
    }
    into.push(edge);
    from.push(edge);
  }

  for (const edges of incoming.values()) {
    if (edges.length > 1) edges.sort((a, b) => (a.targetInput ?? 0) - (b.targetInput ?? 0));
  }
  return { nodes, incoming, outgoing, danglingEdges };
}

/**
 * Orders nodes so that every edge goes forwards (Kahn's algorithm, stable in graph order).
 * Nodes on or after a cycle are left out of `order` and listed in `blocked`.
 */
export function topologicalOrder(graph: Graph, index: GraphIndex): { order: string[]; blocked: string[] } {
  const pending = new Map<string, number>();
  for (const [id, edges] of index.incoming) pending.set(id, edges.length);

  const queue: string[] = [];
  for (const id of index.nodes.keys()) if (pending.get(id) === 0) queue.push(id);

  const order: string[] = [];
  for (let head = 0; head < queue.length; head += 1) {
    const id = queue[head];
    order.push(id);
    for (const edge of index.outgoing.get(id) ?? []) {
      const left = (pending.get(edge.target) ?? 0) - 1;
      pending.set(edge.target, left);
      if (left === 0) queue.push(edge.target);
    }
  }

  const placed = new Set(order);
  const blocked = [...index.nodes.keys()].filter((id) => !placed.has(id));
  return { order, blocked };
}

/**
 * Finds the cycles among `candidates` (Tarjan's strongly connected components): returns each
 * cycle as node ids in the order the edges run. Nodes only downstream of a cycle are in none.
 */
export function findCycles(index: GraphIndex, candidates: string[]): string[][] {
  const inScope = new Set(candidates);
  const indexOf = new Map<string, number>();
  const lowLink = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  let counter = 0;

  // Iterative Tarjan, so that a long cycle cannot overflow the call stack.
  for (const start of candidates) {
    if (indexOf.has(start)) continue;
    const work: { id: string; next: number }[] = [{ id: start, next: 0 }];
    indexOf.set(start, counter);
    lowLink.set(start, counter);
    counter += 1;
    stack.push(start);
    onStack.add(start);

    while (work.length > 0) {
      const frame = work[work.length - 1];
      const edges = (index.outgoing.get(frame.id) ?? []).filter((edge) => inScope.has(edge.target));
      if (frame.next < edges.length) {
        const target = edges[frame.next].target;
        frame.next += 1;
        if (!indexOf.has(target)) {
          indexOf.set(target, counter);
          lowLink.set(target, counter);
          counter += 1;
          stack.push(target);
          onStack.add(target);
          work.push({ id: target, next: 0 });
        } else if (onStack.has(target)) {
          lowLink.set(frame.id, Math.min(lowLink.get(frame.id)!, indexOf.get(target)!));
        }
        continue;
      }

      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].id;
        lowLink.set(parent, Math.min(lowLink.get(parent)!, lowLink.get(frame.id)!));
      }
      if (lowLink.get(frame.id) !== indexOf.get(frame.id)) continue;

      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.id);
      const selfLoop = (index.outgoing.get(frame.id) ?? []).some((edge) => edge.target === frame.id);
      if (component.length > 1 || selfLoop) cycles.push(component.reverse());
    }
  }
  return cycles;
}

/** Whether adding an edge from `source` to `target` would close a cycle. */
export function wouldCreateCycle(graph: Graph, source: string, target: string): boolean {
  if (source === target) return true;
  const index = indexGraph(graph);
  const seen = new Set<string>([target]);
  const stack = [target];
  while (stack.length > 0) {
    const id = stack.pop()!;
    for (const edge of index.outgoing.get(id) ?? []) {
      if (edge.target === source) return true;
      if (!seen.has(edge.target)) {
        seen.add(edge.target);
        stack.push(edge.target);
      }
    }
  }
  return false;
}
