/** A connection on the canvas, labelled with the shape that flows along it, as Keras prints it. */
import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import { useEdgeShapeText } from '../../store/inference';
import type { ShapeFlowEdge } from './flow-types';

interface ShapeLabelProps {
  id: string;
  x: number;
  y: number;
  error: boolean;
  selected: boolean;
}

/**
 * The label reads its shape from the inference store itself, so an edit that changes shapes
 * redraws the labels alone, not the edges' paths or React Flow's edge state.
 */
const ShapeLabel = memo(function ShapeLabel({ id, x, y, error, selected }: ShapeLabelProps) {
  const text = useEdgeShapeText(id);
  return (
    <div
      className={`shape-label nodrag nopan${error ? ' is-error' : ''}${selected ? ' is-selected' : ''}`}
      data-testid={`edge-shape-${id}`}
      title={text ? 'Output shape of the layer above, batch axis first' : 'Unknown: an error upstream stops inference'}
      style={{ transform: `translate(-50%, -50%) translate(${x}px, ${y}px)` }}
    >
      {text ?? '?'}
    </div>
  );
});

function ShapeEdgeView(props: EdgeProps<ShapeFlowEdge>) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, selected, markerEnd } = props;
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const error = data?.error ?? false;
  const classes = ['shape-edge'];
  if (error) classes.push('is-error');
  if (selected) classes.push('is-selected');

  return (
    <>
      <BaseEdge id={id} path={path} className={classes.join(' ')} markerEnd={markerEnd} />
      <EdgeLabelRenderer>
        <ShapeLabel id={id} x={labelX} y={labelY} error={error} selected={selected ?? false} />
      </EdgeLabelRenderer>
    </>
  );
}

export const ShapeEdge = memo(ShapeEdgeView);
