/**
 * Fitting a new graph into view without shrinking its text below reading size: a long model
 * keeps a readable zoom and shows its top (where the Input is), and the person scrolls down.
 * The Fit view button still fits everything.
 */
import type { Edge, Node, ReactFlowInstance } from '@xyflow/react';
import { CANVAS_ID } from './constants';

/** Below this zoom the node text (11 px at zoom 1) gets too small to read on a projector. */
export const MIN_READABLE_ZOOM = 0.75;
const PADDING = 24;

export function fitReadable<N extends Node, E extends Edge>(flow: ReactFlowInstance<N, E>): void {
  const element = document.getElementById(CANVAS_ID);
  const nodes = flow.getNodes();
  if (!element || nodes.length === 0) return;

  const bounds = flow.getNodesBounds(nodes);
  const width = element.clientWidth;
  const height = element.clientHeight;
  const fitZoom = Math.min((width - 2 * PADDING) / Math.max(bounds.width, 1), (height - 2 * PADDING) / Math.max(bounds.height, 1), 1);
  if (fitZoom >= MIN_READABLE_ZOOM) {
    void flow.fitView({ padding: 0.15, maxZoom: 1, duration: 200 });
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
