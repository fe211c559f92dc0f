/** Embedding: a learned lookup table from token ids to dense vectors. */
import { formatShape } from './format';
import { boolParam, kindError, numberParam, single, trainable, weightsOf } from './shape-utils';
import type { LayerKind } from './types';

export const Embedding: LayerKind = {
  className: 'Embedding',
  category: 'embedding',
  description: 'Looks up a learned vector for each token id, so (batch, sequence) ids become (batch, sequence, outputDim).',
  params: [
    {
      name: 'inputDim',
      type: 'int',
      default: 1000,
      min: 1,
      description: 'Vocabulary size: ids must lie in 0 … inputDim − 1, so it is the largest id plus one.',
    },
    {
      name: 'outputDim',
      type: 'int',
      default: 16,
      min: 1,
      description: 'Length of the vector learned for each id, the size of the new last axis.',
    },
    {
      name: 'maskZero',
      type: 'bool',
      default: false,
      description: 'Treats id 0 as padding that later layers skip; id 0 then cannot be a real token.',
    },
    {
      name: 'inputLength',
      type: 'int',
      default: null,
      nullable: true,
      min: 1,
      description: 'Fixed sequence length, if any; it must equal the input length and fills in an unknown one.',
    },
    {
      name: 'embeddingsRegularizer',
      type: 'regularizer',
      default: null,
      description: 'Penalty l1·Σ|w| + l2·Σw² on the embedding table, added to the loss.',
    },
  ],
  inputs: { min: 1, max: 1 },
  outputShapes([input], params) {
    // Keras and TensorFlow.js look up every id of an input of any rank: (batch, …) → (batch, …, outputDim).
    const outputDim = numberParam(params, 'outputDim', 1);
    const inputLength = params.inputLength;
    if (typeof inputLength !== 'number') return single([...input, outputDim]);

    if (input.length !== 2) {
      return kindError(
        'wrong-rank',
        `Embedding with inputLength ${inputLength} needs rank 2 (batch, sequence) but got ${formatShape(input)}; clear inputLength`,
        { type: 'set-param', label: 'Clear inputLength', param: 'inputLength', value: null },
      );
    }
    const length = input[1];
    if (length !== null && length !== inputLength) {
      return kindError(
        'invalid-param',
        `Embedding inputLength is ${inputLength} but the input sequence has length ${length} in ${formatShape(input)}; set inputLength to ${length} or clear it`,
        { type: 'set-param', label: `Set inputLength to ${length}`, param: 'inputLength', value: length },
      );
    }
    return single([input[0], inputLength, outputDim]);
  },
  weights(_inputs, params) {
    const embeddings = trainable('embeddings', [numberParam(params, 'inputDim', 1), numberParam(params, 'outputDim', 1)]);
    return weightsOf(embeddings);
  },
  explainShape([input], params) {
    const outputDim = numberParam(params, 'outputDim', 1);
    return [`each id of ${formatShape(input)} → a vector of ${outputDim}`];
  },
  summarize(params) {
    const table = `Embedding ${numberParam(params, 'inputDim', 1)} → ${numberParam(params, 'outputDim', 1)}`;
    return boolParam(params, 'maskZero', false) ? `${table}, mask 0` : table;
  },
};

export const embeddingKinds: LayerKind[] = [Embedding];
