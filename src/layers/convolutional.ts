/** Placeholder: the kinds of this family are being written. */
import type { LayerKind } from './types';

export const convolutionalKinds: LayerKind[] = [];
