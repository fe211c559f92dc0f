/** A layer on the canvas: its kind, name, main settings, parameter count and errors. */
import { Handle, Position, useStore, type NodeProps, type ReactFlowState } from '@xyflow/react';
import { memo, useCallback } from 'react';
import { formatCount, getLayerKind } from '../../layers';
import { withDefaults } from '../../layers/params';
import { ERROR_NOTE_WIDTH } from '../../project/layout';
import { applyGraphFix } from '../../store/actions';
import { useLayer } from '../../store/graph-store';
import { isDataMismatch, useNodeErrors, useNodeParams } from '../../store/inference';
import type { LayerFlowNode } from './flow-types';

/** Height of a note of three lines with a fix button, about, in canvas pixels. */
const NOTE_HEIGHT = 100;

/**
 * Returns whether the error note of layer `id` should sit on its left: when on the right it
 * would pass the canvas's right edge, and on the left it fits in the canvas and covers no layer.
 */
function noteGoesLeft(state: ReactFlowState, id: string): boolean {
  const node = state.nodeLookup.get(id);
  const width = node?.measured.width;
  if (!node || width === undefined) return false;
  const [panX, , zoom] = state.transform;
  const { x, y } = node.internals.positionAbsolute;
  const left = x * zoom + panX;
  const rightEnd = left + (width + ERROR_NOTE_WIDTH) * zoom;
  const leftEnd = left - ERROR_NOTE_WIDTH * zoom;
  if (rightEnd <= state.width || leftEnd < 0) return false;

  const note = { left: x - ERROR_NOTE_WIDTH, right: x, top: y, bottom: y + NOTE_HEIGHT };
  for (const other of state.nodeLookup.values()) {
    if (other.id === id) continue;
    const position = other.internals.positionAbsolute;
    const right = position.x + (other.measured.width ?? 0);
    const bottom = position.y + (other.measured.height ?? 0);
    if (position.x < note.right && note.left < right && position.y < note.bottom && note.top < bottom) return false;
  }
  return true;
}

function LayerNodeView({ id, selected }: NodeProps<LayerFlowNode>) {
  const layer = useLayer(id);
  const { params, shared } = useNodeParams(id);
  const errors = useNodeErrors(id);
  const hasErrors = errors.length > 0;
  const onlyDataMismatches = hasErrors && errors.every(isDataMismatch);
  const noteLeft = useStore(useCallback((state: ReactFlowState) => hasErrors && noteGoesLeft(state, id), [hasErrors, id]));
  // React Flow may draw a node once more after the graph lost it.
  if (!layer) return null;
  const kind = getLayerKind(layer.kind);
  const settings = kind?.summarize?.(withDefaults(kind, layer.params)) ?? '';
  const acceptsInput = kind ? kind.inputs.max > 0 : true;
  const classes = ['layer-node', `category-${kind?.category ?? 'unknown'}`];
  if (selected) classes.push('is-selected');
  if (hasErrors) classes.push(onlyDataMismatches ? 'has-data-mismatch' : 'has-error');
  if (noteLeft) classes.push('has-note-left');

  return (
    <div className={classes.join(' ')} data-testid={`node-${id}`}>
      {acceptsInput && <Handle type="target" position={Position.Top} className="layer-handle" />}
      <div className="layer-node__head">
        <span className="layer-node__kind">{layer.kind}</span>
        <span className="layer-node__name" title={layer.name}>
          {layer.name}
        </span>
      </div>
      <div className="layer-node__body">
        <span className="layer-node__settings" title={settings}>
          {settings}
        </span>
        <span className="layer-node__count">
          {shared ? (
            <span data-testid={`node-params-${id}`} title="Weights counted on the layer it shares with">
              shared
            </span>
          ) : params === null ? (
            <span data-testid={`node-params-${id}`} title="Unknown until the error above this layer is fixed: the count depends on the input shape">
              ? params
            </span>
          ) : (
            <>
              <span data-testid={`node-params-${id}`}>{formatCount(params)}</span> params
            </>
          )}
        </span>
      </div>
      {errors.length > 0 && (
        <div className={`layer-node__error${onlyDataMismatches ? ' is-data' : ''}`} data-testid={`node-error-${id}`} role="note">
          {errors.map((error, index) => (
            <div key={index} className={`layer-node__error-item${isDataMismatch(error) ? ' is-data' : ''}`}>
              {isDataMismatch(error) && <p className="note__kind">Does not fit the data</p>}
              <p>{error.message}</p>
              {error.fix && (
                <button
                  type="button"
                  className="nodrag fix-button"
                  data-testid={`node-fix-${id}`}
                  onClick={(event) => {
                    event.stopPropagation();
                    applyGraphFix(error.fix!);
                  }}
                >
                  {error.fix.label}
                </button>
              )}
            </div>
          ))}
        </div>
      )}
      <Handle type="source" position={Position.Bottom} className="layer-handle" />
    </div>
  );
}

export const LayerNode = memo(LayerNodeView);
