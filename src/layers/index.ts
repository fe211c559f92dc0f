/**
 * The layer catalogue: every kind Layerlab supports, by Keras class name. It drives the palette,
 * the inspector, inference, import and export.
 */
import { activationsKinds } from './activations';
import { convolutionalKinds } from './convolutional';
import { coreKinds } from './core';
import { embeddingKinds } from './embedding';
import { mergeKinds } from './merge';
import { normalizationKinds } from './normalization';
import { poolingKinds } from './pooling';
import { recurrentKinds } from './recurrent';
import { regularizationKinds } from './regularization';
import { reshapingKinds } from './reshaping';
import type { LayerKind } from './types';
import { wrappersKinds } from './wrappers';

export const LAYER_KINDS: readonly LayerKind[] = [
  ...coreKinds,
  ...activationsKinds,
  ...convolutionalKinds,
  ...poolingKinds,
  ...reshapingKinds,
  ...normalizationKinds,
  ...regularizationKinds,
  ...mergeKinds,
  ...embeddingKinds,
  ...recurrentKinds,
  ...wrappersKinds,
];

const byClassName = new Map(LAYER_KINDS.map((kind) => [kind.className, kind]));

/** Looks up the catalogue entry for a Keras class name; `undefined` for an unsupported kind. */
export function getLayerKind(className: string): LayerKind | undefined {
  return byClassName.get(className);
}

export type { LayerKind, ParamSpec, Category } from './types';
export { defaultParams, withDefaults, validateParam } from './params';
export { formatShape, formatShapes, formatCount } from './format';
