/**
 * The model summary beside the canvas, as Keras `model.summary()` prints it: one row per layer
 * with its output shape and parameter count (and its inputs when the model is not a plain
 * chain), then the totals. Clicking a row, or Enter on it, selects the layer.
 */
import { Fragment, memo, useCallback, useMemo, type KeyboardEvent } from 'react';
import { formatOutputShape, summarizeGraph } from '../../graph/summary';
import { formatCount } from '../../layers';
import { useGraphStore } from '../../store/graph-store';
import { useInference } from '../../store/inference';
import { useUiStore } from '../../store/ui-store';

/** Text with line-break opportunities after each `_` and before each `[`, for narrow columns. */
const Breakable = memo(function Breakable({ text }: { text: string }) {
  const parts = text.split(/(?<=_)|(?=\[)/);
  return (
    <>
      {parts.map((part, index) => (
        <Fragment key={index}>
          {index > 0 && <wbr />}
          {part}
        </Fragment>
      ))}
    </>
  );
});

interface SummaryRowProps {
  nodeId: string;
  name: string;
  type: string;
  /** The output shape as Keras prints it. */
  shape: string;
  /** The parameter count, or null where the output shape and so the count are unknown. */
  params: number | null;
  /** The layers it takes input from, or null when the model is a plain chain. */
  connectedTo: string | null;
  selected: boolean;
  failed: boolean;
  onSelect(nodeId: string): void;
}

/**
 * One layer of the table: a tbody of its row and its "Connected to" line, so that the line
 * highlights and selects with it. Its props are plain values, so an edit redraws only the rows
 * whose text changes.
 */
const SummaryRow = memo(function SummaryRow({ nodeId, name, type, shape, params, connectedTo, selected, failed, onSelect }: SummaryRowProps) {
  const classes = [selected ? 'is-selected' : '', failed ? 'is-error' : ''].filter(Boolean).join(' ');
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    onSelect(nodeId);
  };
  return (
    <tbody className={classes || undefined} onClick={() => onSelect(nodeId)}>
      <tr tabIndex={0} aria-selected={selected} data-testid={`summary-row-${nodeId}`} onKeyDown={onKeyDown}>
        <td>
          <span className="summary__name">
            <Breakable text={name} />
          </span>
          <span className="summary__type">({type})</span>
        </td>
        <td className="summary__shape">{shape}</td>
        <td className="is-number">{params === null ? '?' : formatCount(params)}</td>
      </tr>
      {connectedTo !== null && (
        <tr className="summary__inputs" aria-label={`${name} is connected to`}>
          <td colSpan={3}>← {connectedTo}</td>
        </tr>
      )}
    </tbody>
  );
});

export interface SummaryPanelProps {
  /** Called after a row selects its layer, e.g. to bring the layer into view. */
  onSelectLayer?(nodeId: string): void;
}

export function SummaryPanel({ onSelectLayer }: SummaryPanelProps) {
  const graph = useGraphStore((state) => state.graph);
  const inference = useInference();
  const selectedNodeIds = useUiStore((state) => state.selectedNodeIds);
  const summary = useMemo(() => summarizeGraph(graph, inference), [graph, inference]);
  const errorNodes = useMemo(() => new Set(inference.errors.map((error) => error.nodeId)), [inference]);

  // Stable while `onSelectLayer` is, so that rows whose text did not change skip rendering.
  const select = useCallback(
    (nodeId: string) => {
      useUiStore.getState().selectNodes([nodeId]);
      onSelectLayer?.(nodeId);
    },
    [onSelectLayer],
  );

  return (
    <section className="summary panel" aria-label="Model summary">
      <h2 className="panel__title">Summary</h2>
      {summary.rows.length === 0 ? (
        <p className="panel__empty">The model is empty. Drag a layer from the palette, or open a template.</p>
      ) : (
        <div className="summary__scroll">
          <table className="summary__table">
            <thead>
              <tr>
                <th scope="col">Layer (type)</th>
                <th scope="col">Output Shape</th>
                <th scope="col" className="is-number">
                  Param #
                </th>
              </tr>
              {!summary.sequential && (
                <tr className="summary__inputs-head">
                  <th scope="col" colSpan={3}>
                    ← Connected to
                  </th>
                </tr>
              )}
            </thead>
            {summary.rows.map((row) => (
              <SummaryRow
                key={row.nodeId}
                nodeId={row.nodeId}
                name={row.name}
                type={row.type}
                shape={formatOutputShape(row)}
                params={row.outputShape === null ? null : row.params}
                connectedTo={!summary.sequential && row.connectedTo.length > 0 ? row.connectedTo.join(', ') : null}
                selected={row.callNodeIds.some((id) => selectedNodeIds.includes(id))}
                failed={row.callNodeIds.some((id) => errorNodes.has(id))}
                onSelect={select}
              />
            ))}
          </table>
        </div>
      )}
      <dl className="summary__totals">
        <dt>Total params</dt>
        <dd data-testid="summary-total-params">{formatCount(summary.totalParams)}</dd>
        <dt>Trainable params</dt>
        <dd data-testid="summary-trainable-params">{formatCount(summary.trainableParams)}</dd>
        <dt>Non-trainable params</dt>
        <dd data-testid="summary-non-trainable-params">{formatCount(summary.nonTrainableParams)}</dd>
      </dl>
      {summary.errors.length > 0 && (
        <p className="summary__errors" data-testid="summary-errors">
          {summary.errors.length === 1 ? '1 error' : `${summary.errors.length} errors`}
          {summary.rows.some((row) => row.outputShape === null)
            ? ': totals leave out layers whose shapes are unknown.'
            : ', shown on the layers concerned.'}
        </p>
      )}
    </section>
  );
}
