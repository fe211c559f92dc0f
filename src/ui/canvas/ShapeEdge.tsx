/** A connection on the canvas, labelled with the shape that flows along it, as Keras prints it. */
import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import { formatShape } from '../../layers';
import type { ShapeFlowEdge } from './flow-types';

function ShapeEdgeView(props: EdgeProps<ShapeFlowEdge>) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, selected, markerEnd } = props;
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const error = data?.error ?? false;
  const shape = data?.shape ?? null;
  const classes = ['shape-edge'];
  if (error) classes.push('is-error');
  if (selected) classes.push('is-selected');

  return (
    <>
      <BaseEdge id={id} path={path} className={classes.join(' ')} markerEnd={markerEnd} />
      <EdgeLabelRenderer>
        <div
          className={`shape-label nodrag nopan${error ? ' is-error' : ''}${selected ? ' is-selected' : ''}`}
          data-testid={`edge-shape-${id}`}
          title={shape ? 'Output shape of the layer above, batch axis first' : 'Unknown: an error upstream stops inference'}
          style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
        >
          {shape ? formatShape(shape) : '?'}
        </div>
      </EdgeLabelRenderer>
    </>
  );
}

export const ShapeEdge = memo(ShapeEdgeView);
