/** The React Flow node and edge types of the canvas, built from the graph and its inference. */
import type { Edge, Node } from '@xyflow/react';

/**
 * A node carries only its kind, which never changes. The node view reads the layer, its counts and
 * its errors from the stores itself. An edit then redraws only the nodes it concerns, and React
 * Flow gets a new nodes array only when nodes move, come or go, or change selection.
 */
export type LayerNodeData = {
  kind: string;
};

export type LayerFlowNode = Node<LayerNodeData, 'layer'>;

/** The label's shape is not here: the label reads it from the inference store (see ShapeEdge). */
export type ShapeEdgeData = {
  /** Whether the edge enters or leaves a layer with an error. */
  error: boolean;
};

export type ShapeFlowEdge = Edge<ShapeEdgeData, 'shape'>;
