/**
 * Layers that contain other layers: the wrappers Bidirectional and TimeDistributed, and nested
 * models (Sequential and Functional) used as one layer. Their shapes and weights come from the
 * engine through `KindContext`, since this folder may not import the engine.
 */
import type { Graph, LayerSpec, ParamValue, Params, Shape } from '../graph/types';
import { formatShape } from './format';
import { kindError, single, stringParam, weightsOf } from './shape-utils';
import type { KindContext, KindError, LayerKind, ShapeResult, WeightResult } from './types';

/** Recurrent kinds that Bidirectional can run in both directions. */
const RECURRENT_KINDS = ['LSTM', 'GRU', 'SimpleRNN'];

function isLayerSpec(value: ParamValue | undefined): value is LayerSpec {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as LayerSpec).kind === 'string';
}

function isGraph(value: ParamValue | undefined): value is Graph {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as Graph).nodes) &&
    Array.isArray((value as Graph).edges)
  );
}

function missingLayerError(className: string, suggestion: LayerSpec): KindError {
  return kindError(
    'invalid-param',
    `${className} has no wrapped layer; choose the layer it wraps, e.g. ${suggestion.kind}`,
    { type: 'set-param', label: `Wrap ${suggestion.kind}`, param: 'layer', value: suggestion },
  );
}

/** Returns the wrapped layer of a Bidirectional, or an error when there is none or it is not recurrent. */
function recurrentLayer(params: Params): LayerSpec | KindError {
  const layer = params.layer;
  if (!isLayerSpec(layer)) return missingLayerError('Bidirectional', { kind: 'LSTM', params: {} });
  if (!RECURRENT_KINDS.includes(layer.kind)) {
    return kindError(
      'unsupported',
      `Bidirectional wraps a recurrent layer (${RECURRENT_KINDS.join(', ')}) but got ${layer.kind}; wrap one of those`,
    );
  }
  return layer;
}

/**
 * Rewords an error of the wrapped layer for the wrapper. Fixes that set the wrapped layer's own
 * parameters are dropped, because on the wrapper they would name a parameter it does not have.
 */
function wrappedError(error: KindError, keepInsertFix: boolean): KindError {
  const message = error.message.startsWith('wrapped ') ? error.message : `wrapped ${error.message}`;
  const fix = keepInsertFix && error.fix?.type === 'insert-before' ? error.fix : undefined;
  return kindError(error.code, message, fix);
}

function bidirectionalShape([input]: Shape[], params: Params, context: KindContext): ShapeResult {
  const layer = recurrentLayer(params);
  if (!('kind' in layer)) return layer;

  // Both directions receive the input of the wrapper, so a fix that inserts a layer before the
  // wrapped one also applies before the wrapper.
  const inner = context.inferLayer(layer.kind, layer.params, [input]).shape;
  if (!inner.ok) return wrappedError(inner, true);

  // concat puts the two outputs side by side on the last axis; sum, mul and ave keep its size.
  const output = inner.shapes[0].slice();
  const units = output[output.length - 1];
  if (stringParam(params, 'mergeMode', 'concat') === 'concat' && units !== null) {
    output[output.length - 1] = 2 * units;
  }
  return single(output);
}

function bidirectionalWeights([input]: Shape[], params: Params, context: KindContext): WeightResult {
  const layer = recurrentLayer(params);
  if (!('kind' in layer)) return layer;
  const inner = context.inferLayer(layer.kind, layer.params, [input]).weights;
  if (!inner.ok) return wrappedError(inner, false);

  // TensorFlow.js and Keras build two copies of the layer with weights of the same shapes. The
  // backward copy reads the sequence in reverse.
  const forward = inner.weights.map((weight) => ({ ...weight, name: `forward_${weight.name}` }));
  const backward = inner.weights.map((weight) => ({ ...weight, name: `backward_${weight.name}` }));
  return weightsOf(...forward, ...backward);
}

export const Bidirectional: LayerKind = {
  className: 'Bidirectional',
  category: 'wrapper',
  description: 'Runs a recurrent layer forwards and a copy of it backwards over the sequence, and merges both outputs.',
  params: [
    {
      name: 'layer',
      type: 'layer',
      default: { kind: 'LSTM', params: { units: 32 } },
      description: 'The recurrent layer to run in both directions: LSTM, GRU or SimpleRNN.',
    },
    {
      name: 'mergeMode',
      type: 'enum',
      default: 'concat',
      options: ['concat', 'sum', 'mul', 'ave'],
      description: 'How the two outputs combine: concat joins them (twice the units), sum, mul and ave keep the size.',
    },
  ],
  inputs: { min: 1, max: 1 },
  outputShapes: bidirectionalShape,
  weights: bidirectionalWeights,
  explainShape(_inputs, params) {
    const layer = params.layer;
    if (!isLayerSpec(layer)) return [];
    const mode = stringParam(params, 'mergeMode', 'concat');
    return [mode === 'concat' ? 'forward and backward outputs side by side: 2 × units' : `forward and backward outputs merged by ${mode}`];
  },
  summarize(params) {
    const layer = params.layer;
    const wrapped = isLayerSpec(layer) ? layer.kind : 'no layer';
    return `${wrapped}, ${stringParam(params, 'mergeMode', 'concat')}`;
  },
};

/** Returns the shape of one time step inside TimeDistributed: the input without its time axis. */
function stepShape(input: Shape): Shape {
  return [input[0], ...input.slice(2)];
}

/** Returns the wrapped layer of a TimeDistributed, or an error. */
function distributedLayer(params: Params): LayerSpec | KindError {
  const layer = params.layer;
  if (!isLayerSpec(layer)) return missingLayerError('TimeDistributed', { kind: 'Dense', params: {} });
  if (layer.kind === 'InputLayer') {
    return kindError('unsupported', 'TimeDistributed cannot wrap an InputLayer; wrap a layer that transforms its input, such as Dense');
  }
  return layer;
}

function timeRankError(input: Shape, layer: LayerSpec): KindError | null {
  if (input.length >= 3) return null;
  return kindError(
    'wrong-rank',
    `TimeDistributed needs rank 3 or more (batch, time, …) but got ${formatShape(input)}; use ${layer.kind} directly, without TimeDistributed`,
  );
}

/** Rewords an error of the layer inside TimeDistributed, which receives one time step, not the whole input. */
function stepError(error: KindError, input: Shape, layer: LayerSpec): KindError {
  return kindError(
    error.code,
    `TimeDistributed feeds each time step ${formatShape(stepShape(input))} to the wrapped ${layer.kind}, which rejects it: ${error.message}`,
  );
}

export const TimeDistributed: LayerKind = {
  className: 'TimeDistributed',
  category: 'wrapper',
  description: 'Applies one layer, with one set of weights, to every time step of a sequence.',
  params: [
    {
      name: 'layer',
      type: 'layer',
      default: { kind: 'Dense', params: { units: 32 } },
      description: 'The layer applied to each step, which receives (batch, …) without the time axis.',
    },
  ],
  inputs: { min: 1, max: 1 },
  outputShapes([input], params, context) {
    const layer = distributedLayer(params);
    if (!('kind' in layer)) return layer;
    const rankError = timeRankError(input, layer);
    if (rankError) return rankError;

    const inner = context.inferLayer(layer.kind, layer.params, [stepShape(input)]).shape;
    if (!inner.ok) return stepError(inner, input, layer);
    if (inner.shapes.length !== 1) {
      return kindError('unsupported', `TimeDistributed needs a wrapped layer with one output but ${layer.kind} has ${inner.shapes.length}; wrap a single-output layer`);
    }
    const [batch, ...perStep] = inner.shapes[0];
    return single([batch, input[1], ...perStep]);
  },
  weights([input], params, context) {
    const layer = distributedLayer(params);
    if (!('kind' in layer)) return layer;
    const inner = context.inferLayer(layer.kind, layer.params, [stepShape(input)]).weights;
    return inner.ok ? inner : stepError(inner, input, layer);
  },
  explainShape([input], params) {
    const layer = params.layer;
    if (!isLayerSpec(layer) || input.length < 3) return [];
    return [`${input[1] ?? 'None'} time steps, each ${formatShape(stepShape(input))} through ${layer.kind}`];
  },
  summarize(params) {
    const layer = params.layer;
    return isLayerSpec(layer) ? layer.kind : 'no layer';
  },
};

/**
 * Describes why a graph is not one chain from one Input to one output, as a Keras Sequential
 * model must be. Returns `null` when it is one.
 */
function chainProblem(graph: Graph): string | null {
  const inputs = graph.nodes.filter((node) => node.kind === 'InputLayer');
  if (inputs.length !== 1) return `its model has ${inputs.length} Input layers`;

  const incoming = new Map<string, number>();
  const outgoing = new Map<string, number>();
  for (const edge of graph.edges) {
    incoming.set(edge.target, (incoming.get(edge.target) ?? 0) + 1);
    outgoing.set(edge.source, (outgoing.get(edge.source) ?? 0) + 1);
  }
  for (const node of graph.nodes) {
    if ((incoming.get(node.id) ?? 0) > 1) return `${node.name} has several inputs`;
    if ((outgoing.get(node.id) ?? 0) > 1) return `${node.name} feeds several layers`;
  }
  const ends = graph.nodes.filter((node) => !outgoing.has(node.id));
  if (ends.length !== 1) return `its model has ${ends.length} outputs`;
  return null;
}

function modelGraph(className: string, params: Params): Graph | KindError {
  const graph = params.graph;
  if (!isGraph(graph) || graph.nodes.length === 0) {
    return kindError('invalid-param', `${className} has no model inside; open it and add an Input and layers`);
  }
  if (className === 'Sequential') {
    const problem = chainProblem(graph);
    if (problem) {
      return kindError(
        'unsupported',
        `Sequential needs one chain of layers from one Input to one output, but ${problem}; make it a Functional model`,
      );
    }
  }
  return graph;
}

function nestedModel(className: 'Sequential' | 'Functional', description: string, maxInputs: number): LayerKind {
  return {
    className,
    category: 'model',
    description,
    params: [
      {
        name: 'graph',
        type: 'graph',
        default: null,
        hidden: true,
        description: 'The layers of the nested model, with their own Input layers.',
      },
    ],
    inputs: { min: 1, max: maxInputs },
    outputShapes(inputs, params, context) {
      const graph = modelGraph(className, params);
      return 'nodes' in graph ? context.inferModel(graph, inputs).shape : graph;
    },
    weights(inputs, params, context) {
      const graph = modelGraph(className, params);
      return 'nodes' in graph ? context.inferModel(graph, inputs).weights : graph;
    },
    summarize(params) {
      const graph = params.graph;
      if (!isGraph(graph)) return 'empty';
      const layers = graph.nodes.filter((node) => node.kind !== 'InputLayer').length;
      return `${layers} layer${layers === 1 ? '' : 's'}`;
    },
  };
}

export const Sequential = nestedModel(
  'Sequential',
  'A model whose layers form one chain, used as a single layer; calling it again reuses its weights.',
  1,
);

export const Functional = nestedModel(
  'Functional',
  'A model with any wiring of layers, used as a single layer; calling it again reuses its weights.',
  Infinity,
);

export const wrappersKinds: LayerKind[] = [Bidirectional, TimeDistributed, Sequential, Functional];
