/**
 * Graph and shape types shared by the layer catalogue, the inference engine, the compiler and
 * the editor. Everything here is plain JSON so that a graph can be saved, sent to a worker or
 * put in a URL as it is.
 */

/** One axis of a tensor shape; `null` where the size is unknown (the batch axis always is). */
export type Dim = number | null;

/** A tensor shape with the batch axis first, as Keras prints it: `(None, 196, 16)`. */
export type Shape = Dim[];

/** L1 and L2 penalty strengths of a Keras `L1L2` regularizer; a plain L2 has `l1: 0`. */
export interface RegularizerValue {
  l1: number;
  l2: number;
}

/** A value of one layer parameter, as stored in a node and in a project file. */
export type ParamValue =
  | number
  | string
  | boolean
  | null
  | Dim[]
  | Dim[][]
  | RegularizerValue
  | LayerSpec
  | Graph;

/** Parameters of one node, keyed by their TensorFlow.js config names (`kernelSize`, `units`). */
export type Params = Record<string, ParamValue>;

/** A layer inside a wrapper such as Bidirectional or TimeDistributed. */
export interface LayerSpec {
  kind: string;
  params: Params;
}

export interface GraphNode {
  id: string;
  /** Keras class name of the layer, e.g. `Conv1D`; it selects the catalogue entry. */
  kind: string;
  /** Layer name as Keras would print it, e.g. `conv1d_1`; unique within a graph. */
  name: string;
  params: Params;
  /**
   * Id of another node whose layer (and so whose weights) this node calls again: a shared
   * layer. Its weights count once, on the node it points to.
   */
  sharedWith?: string;
  position?: { x: number; y: number };
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  /** Which output of the source node flows along this edge; 0 unless the layer has several. */
  sourceOutput?: number;
  /** Position of this input among the target's inputs; merge layers use it to order them. */
  targetInput?: number;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** An edit that repairs an error, offered to the person as one click. */
export type GraphFix =
  | {
      type: 'insert-before';
      label: string;
      nodeId: string;
      kind: string;
      params: Params;
      /** Index of the node's input that gets the new layer, from 0 in input order: 0 unless given. */
      input?: number;
    }
  | {
      /** Adds a layer after the node. The new layer reads the node's first output and feeds the layers that output fed. */
      type: 'insert-after';
      label: string;
      nodeId: string;
      kind: string;
      params: Params;
    }
  | {
      type: 'set-param';
      label: string;
      nodeId: string;
      param: string;
      value: ParamValue;
    }
  | {
      /** Removes the layer; the layer before it then feeds the layers after it. */
      type: 'remove-node';
      label: string;
      nodeId: string;
    }
  | {
      type: 'remove-edge';
      label: string;
      edgeId: string;
    }
  | {
      /** Several fixes applied in order as one edit, e.g. units and activation of the same layer. */
      type: 'combined';
      label: string;
      fixes: GraphFix[];
    };

export type GraphErrorCode =
  | 'unknown-kind'
  | 'invalid-param'
  | 'cycle'
  | 'disconnected'
  | 'missing-input'
  | 'too-many-inputs'
  | 'wrong-rank'
  | 'too-small'
  | 'merge-mismatch'
  | 'reshape-size'
  | 'unknown-size'
  | 'bad-edge'
  | 'duplicate-name'
  | 'shared-mismatch'
  | 'too-large'
  | 'data-mismatch'
  | 'unsupported';

/** An error found by inference, attached to the node it concerns. */
export interface GraphError {
  nodeId: string;
  code: GraphErrorCode;
  message: string;
  fix?: GraphFix;
}
