/**
 * Fitting a new graph into view without shrinking its text below reading size: a long model
 * keeps a readable zoom and shows its top (where the Input is), and the person scrolls down.
 * The Fit view button still fits everything.
 */
import { getViewportForBounds, type Edge, type Node, type ReactFlowInstance } from '@xyflow/react';
import { DEFAULT_NODE_SIZE, ERROR_NOTE_WIDTH } from '../../project/layout';
import { layersWithNotes } from '../../store/inference';
import { CANVAS_ID } from './constants';

/** Below this zoom the node text (11 px at zoom 1) gets too small to read on a projector. */
export const MIN_READABLE_ZOOM = 0.75;
const PADDING = 24;

/** Share of the fitted graph's size left as margin on each side, as React Flow's fitView padding. */
const FIT_PADDING = 0.15;

/** The smallest zoom of the canvas. */
export const MIN_ZOOM = 0.1;

/**
 * Returns the bounds of every node, in flow coordinates, with the error notes to the right of
 * the layers that show one, so that a fitted view does not cut them off at the canvas edge.
 */
function boundsWithNotes<N extends Node, E extends Edge>(flow: ReactFlowInstance<N, E>, nodes: N[]): { x: number; y: number; width: number; height: number } {
  const bounds = flow.getNodesBounds(nodes);
  const notes = layersWithNotes();
  let right = bounds.x + bounds.width;
  for (const node of nodes) {
    if (!notes.has(node.id)) continue;
    right = Math.max(right, node.position.x + (node.measured?.width ?? DEFAULT_NODE_SIZE.width) + ERROR_NOTE_WIDTH);
  }
  return { ...bounds, width: right - bounds.x };
}

/** Fits the whole graph, notes included, into the canvas, at most at zoom 1 and below that as far as needed. */
export function fitAll<N extends Node, E extends Edge>(flow: ReactFlowInstance<N, E>): void {
  const element = document.getElementById(CANVAS_ID);
  const nodes = flow.getNodes();
  if (!element || nodes.length === 0) return;
  const viewport = getViewportForBounds(boundsWithNotes(flow, nodes), element.clientWidth, element.clientHeight, MIN_ZOOM, 1, FIT_PADDING);
  void flow.setViewport(viewport, { duration: 200 });
}

export function fitReadable<N extends Node, E extends Edge>(flow: ReactFlowInstance<N, E>): void {
  const element = document.getElementById(CANVAS_ID);
  const nodes = flow.getNodes();
  if (!element || nodes.length === 0) return;

  const bounds = boundsWithNotes(flow, nodes);
  const width = element.clientWidth;
  const height = element.clientHeight;
  const fitZoom = Math.min((width - 2 * PADDING) / Math.max(bounds.width, 1), (height - 2 * PADDING) / Math.max(bounds.height, 1), 1);
  if (fitZoom >= MIN_READABLE_ZOOM) {
    fitAll(flow);
    return;
  }

  const zoom = MIN_READABLE_ZOOM;
  const x = width / 2 - (bounds.x + bounds.width / 2) * zoom;
  const y = PADDING - bounds.y * zoom;
  void flow.setViewport({ x, y, zoom }, { duration: 200 });
}

/**
 * Scrolls the view, at its zoom, to the layers `nodeIds` once React Flow has drawn them, unless
 * they are already wholly in view: for layers just added or pasted out of sight.
 */
export function revealSoon<N extends Node, E extends Edge>(flow: ReactFlowInstance<N, E>, nodeIds: readonly string[]): void {
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      const nodes = nodeIds.flatMap((id) => flow.getNode(id) ?? []);
      const canvas = document.getElementById(CANVAS_ID)?.getBoundingClientRect();
      if (nodes.length === 0 || !canvas || canvas.width === 0) return;
      const bounds = flow.getNodesBounds(nodes);
      const topLeft = flow.flowToScreenPosition({ x: bounds.x, y: bounds.y });
      const bottomRight = flow.flowToScreenPosition({ x: bounds.x + bounds.width, y: bounds.y + bounds.height });
      const inView = topLeft.x >= canvas.left && topLeft.y >= canvas.top && bottomRight.x <= canvas.right && bottomRight.y <= canvas.bottom;
      if (!inView) void flow.setCenter(bounds.x + bounds.width / 2, bounds.y + bounds.height / 2, { zoom: flow.getZoom(), duration: 200 });
    }),
  );
}

/** Checks whether any layer is at least partly inside the canvas. */
export function anyNodeInView<N extends Node, E extends Edge>(flow: ReactFlowInstance<N, E>): boolean {
  const canvas = document.getElementById(CANVAS_ID)?.getBoundingClientRect();
  if (!canvas || canvas.width === 0) return true;
  return flow.getNodes().some((node) => {
    const topLeft = flow.flowToScreenPosition(node.position);
    const width = (node.measured?.width ?? DEFAULT_NODE_SIZE.width) * flow.getZoom();
    const height = (node.measured?.height ?? DEFAULT_NODE_SIZE.height) * flow.getZoom();
    return topLeft.x < canvas.right && topLeft.x + width > canvas.left && topLeft.y < canvas.bottom && topLeft.y + height > canvas.top;
  });
}
