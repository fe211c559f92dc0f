/**
 * The model summary beside the canvas, as Keras `model.summary()` prints it: one row per layer
 * with its output shape and parameter count (and its inputs when the model is not a plain
 * chain), then the totals. Clicking a row, or Enter on it, selects the layer.
 */
import { Fragment, useMemo, type KeyboardEvent } from 'react';
import { formatOutputShape, summarizeGraph } from '../../graph/summary';
import { formatCount } from '../../layers';
import { useGraphStore } from '../../store/graph-store';
import { useInference } from '../../store/inference';
import { useUiStore } from '../../store/ui-store';

/** Text with line-break opportunities after each `_` and before each `[`, for narrow columns. */
function Breakable({ text }: { text: string }) {
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
}

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

  const select = (nodeId: string) => {
    useUiStore.getState().selectNodes([nodeId]);
    onSelectLayer?.(nodeId);
  };
  const onKeyDown = (event: KeyboardEvent, nodeId: string) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    select(nodeId);
  };

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
            {summary.rows.map((row) => {
              const selected = row.callNodeIds.some((id) => selectedNodeIds.includes(id));
              const failed = row.callNodeIds.some((id) => errorNodes.has(id));
              const classes = [selected ? 'is-selected' : '', failed ? 'is-error' : ''].filter(Boolean).join(' ');
              const showInputs = !summary.sequential && row.connectedTo.length > 0;
              // One tbody per layer, so its "Connected to" line highlights and selects with it.
              return (
                <tbody key={row.nodeId} className={classes || undefined} onClick={() => select(row.nodeId)}>
                  <tr
                    tabIndex={0}
                    aria-selected={selected}
                    data-testid={`summary-row-${row.nodeId}`}
                    onKeyDown={(event) => onKeyDown(event, row.nodeId)}
                  >
                    <td>
                      <span className="summary__name">
                        <Breakable text={row.name} />
                      </span>
                      <span className="summary__type">({row.type})</span>
                    </td>
                    <td className="summary__shape">{formatOutputShape(row)}</td>
                    <td className="is-number">{formatCount(row.params)}</td>
                  </tr>
                  {showInputs && (
                    <tr className="summary__inputs" aria-label={`${row.name} is connected to`}>
                      <td colSpan={3}>← {row.connectedTo.join(', ')}</td>
                    </tr>
                  )}
                </tbody>
              );
            })}
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
