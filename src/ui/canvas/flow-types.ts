/** The React Flow node and edge types of the canvas, built from the graph and its inference. */
import type { Edge, Node } from '@xyflow/react';
import type { NodeInference } from '../../graph/infer';
import type { GraphError, GraphNode } from '../../graph/types';

export type LayerNodeData = {
  layer: GraphNode;
  /** Shapes and counts of the node; `undefined` only if inference skipped it. */
  inference: NodeInference | undefined;
  errors: GraphError[];
};

export type LayerFlowNode = Node<LayerNodeData, 'layer'>;

/** The label's shape is not here: the label reads it from the inference store (see ShapeEdge). */
export type ShapeEdgeData = {
  /** Whether the edge enters or leaves a layer with an error. */
  error: boolean;
};

export type ShapeFlowEdge = Edge<ShapeEdgeData, 'shape'>;
