/** The `dataTransfer` type that carries a layer class name from the palette to the canvas. */
export const LAYER_DRAG_TYPE = 'application/x-layerlab-kind';

/** Element id of the canvas, used to find the centre of the visible graph. */
export const CANVAS_ID = 'layerlab-canvas';
