/**
 * What a layer kind is: data that drives the palette, the inspector and the docs, plus pure
 * functions from input shapes to output shapes and weight shapes. Parameter counts are always
 * sums over weight shapes, as in TensorFlow.js, never a formula per layer.
 */
import type { Graph, GraphErrorCode, GraphFix, LayerSpec, ParamValue, Params, Shape } from '../graph/types';

export type Category =
  | 'input'
  | 'core'
  | 'activation'
  | 'convolutional'
  | 'pooling'
  | 'normalization'
  | 'regularization'
  | 'reshaping'
  | 'merge'
  | 'embedding'
  | 'recurrent'
  | 'wrapper'
  | 'model';

interface ParamSpecBase {
  /** TensorFlow.js config name, e.g. `kernelSize`; the Keras name is its snake_case form. */
  name: string;
  /** One line that teaches what the parameter does. */
  description: string;
  /** Whether `null` is allowed (e.g. `strides: null` means "same as poolSize"). */
  nullable?: boolean;
  /** Hidden from the inspector (e.g. a nested graph); still saved and compiled. */
  hidden?: boolean;
}

export type ParamSpec = ParamSpecBase &
  (
    | { type: 'int'; default: number | null; min?: number; max?: number }
    | {
        type: 'float';
        default: number | null;
        min?: number;
        max?: number;
        /** The maximum itself is not allowed, as for dropout rates in [0, 1). */
        maxExclusive?: boolean;
        minExclusive?: boolean;
      }
    | { type: 'bool'; default: boolean }
    | { type: 'enum'; default: string | null; options: readonly string[] }
    | {
        /** A tuple of integers such as a 2-D `kernelSize`, one entry per spatial axis. */
        type: 'ints';
        default: number[] | null;
        length: number;
        min?: number;
      }
    | {
        /** A shape without the batch axis; `null` entries are unknown sizes. */
        type: 'shape';
        default: (number | null)[] | null;
        /** `-1` may stand for one size to infer, as in Reshape. */
        allowInfer?: boolean;
        allowUnknown?: boolean;
      }
    | { type: 'regularizer'; default: null }
    | { type: 'layer'; default: LayerSpec | null }
    | { type: 'graph'; default: null }
    | { type: 'json'; default: ParamValue }
  );

/** A fix proposed by a layer kind; the engine adds the id of the node it applies to. */
export type KindFix = GraphFix extends infer F ? (F extends unknown ? Omit<F, 'nodeId'> : never) : never;

export interface KindError {
  ok: false;
  code: GraphErrorCode;
  /** Says what was expected, what was found, and what to do; the engine prefixes the node. */
  message: string;
  fix?: KindFix;
}

export type ShapeResult = { ok: true; shapes: Shape[] } | KindError;

/** One weight variable of a layer, as TensorFlow.js creates it. */
export interface WeightSpec {
  name: string;
  shape: number[];
  trainable: boolean;
}

export type WeightResult = { ok: true; weights: WeightSpec[] } | KindError;

/**
 * Services the engine lends to layer kinds that contain other layers (wrappers and nested
 * models), since `src/layers/` may not import the engine itself.
 */
export interface KindContext {
  /** Output shapes and weights of a wrapped layer on the given inputs. */
  inferLayer(
    kind: string,
    params: Params,
    inputs: Shape[],
  ): { shape: ShapeResult; weights: WeightResult };
  /** Output shapes and weights of a nested model called on the given inputs. */
  inferModel(graph: Graph, inputs: Shape[]): { shape: ShapeResult; weights: WeightResult };
}

export interface LayerKind {
  /** Keras class name, e.g. `Conv1D`; also the TensorFlow.js class name. */
  className: string;
  category: Category;
  /** One line for the palette. */
  description: string;
  params: readonly ParamSpec[];
  /** How many inputs the layer takes; merges take `max: Infinity`. */
  inputs: { min: number; max: number };
  /** Output shapes from input shapes (batch axis first), or an error as data. */
  outputShapes(inputs: Shape[], params: Params, context: KindContext): ShapeResult;
  /** Weight shapes from input shapes; called only after `outputShapes` succeeded. */
  weights(inputs: Shape[], params: Params, context: KindContext): WeightResult;
  /** The arithmetic behind the output shape, e.g. "200 − 5 + 1 = 196"; empty when trivial. */
  explainShape?(inputs: Shape[], params: Params): string[];
  /** The main settings in a few words for the node, e.g. "16 filters, 5, relu". */
  summarize?(params: Params): string;
  /**
   * Why TensorFlow.js cannot build or train this layer with these settings although Keras can
   * (e.g. a kind tfjs 4.22 lacks), or `null`. Inference still reports shapes and counts.
   */
  tfjsLimitation?(inputs: Shape[], params: Params): string | { message: string; fix?: KindFix } | null;
}
