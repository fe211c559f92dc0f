/**
 * The model summary beside the canvas, as Keras `model.summary()` prints it: one row per layer
 * with its output shape and parameter count (and its inputs when the model is not a plain
 * chain), then the totals. Clicking a row, or Enter on it, selects the layer. The rows are one
 * stop in the Tab order, and the arrow keys, Home and End move between them.
 */
import { Fragment, memo, useCallback, useMemo, useState, type CSSProperties, type KeyboardEvent } from 'react';
import { formatOutputShape, summarizeGraph } from '../../graph/summary';
import { formatCount } from '../../layers';
import { isDataMismatch, modelErrorNodeIds, useGraphStructure, useInference } from '../../store/inference';
import { useUiStore } from '../../store/ui-store';
import { moveListFocus } from '../list-focus';

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
  /** 'error' for an error of the model, 'data' for a mismatch with the loaded data set alone. */
  problem: 'error' | 'data' | null;
  /** Whether Tab reaches this row: the rows are one stop in the Tab order. */
  tabStop: boolean;
  onSelect(nodeId: string): void;
  onFocusRow(nodeId: string): void;
}

const PROBLEM_CLASSES = { error: 'is-error', data: 'is-data-mismatch' } as const;

/** Returns the summary's layer rows in order, from any element inside the table. */
function layerRows(inside: HTMLElement): HTMLElement[] {
  return [...(inside.closest('[role="table"]')?.querySelectorAll<HTMLElement>('.summary__layer > .summary__row') ?? [])];
}

/**
 * One layer of the table: a row group of its row and its "Connected to" line, so that the line
 * highlights and selects with it. Its props are plain values, so an edit redraws only the rows
 * whose text changes.
 */
const SummaryRow = memo(function SummaryRow(props: SummaryRowProps) {
  const { nodeId, name, type, shape, params, connectedTo, selected, problem, tabStop, onSelect, onFocusRow } = props;
  const classes = ['summary__layer', selected ? 'is-selected' : '', problem ? PROBLEM_CLASSES[problem] : ''].filter(Boolean).join(' ');
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (moveListFocus(layerRows(event.currentTarget), event.currentTarget, event.key)) {
      event.preventDefault();
      return;
    }
    if (event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    onSelect(nodeId);
  };
  return (
    <div role="rowgroup" className={classes} onClick={() => onSelect(nodeId)}>
      <div
        role="row"
        className="summary__row"
        tabIndex={tabStop ? 0 : -1}
        aria-selected={selected}
        aria-label={`${name} (${type}), output ${shape}, ${params === null ? 'unknown' : formatCount(params)} parameters`}
        data-testid={`summary-row-${nodeId}`}
        onKeyDown={onKeyDown}
        onFocus={() => onFocusRow(nodeId)}
      >
        <span role="cell">
          <span className="summary__name">
            <Breakable text={name} />
          </span>
          <span className="summary__type">({type})</span>
        </span>
        <span role="cell" className="summary__shape">
          {shape}
        </span>
        <span role="cell" className="is-number">
          {params === null ? '?' : formatCount(params)}
        </span>
      </div>
      {connectedTo !== null && (
        <div role="row" className="summary__inputs" aria-label={`${name} is connected to`}>
          <span role="cell">← {connectedTo}</span>
        </div>
      )}
    </div>
  );
});

/**
 * Returns the widths of the shape and count columns in characters, from their longest text. Each
 * row is laid out alone, so that rows out of view can skip layout, and these widths align them.
 */
function columnWidths(rows: { shape: string; params: string }[]): CSSProperties {
  const shapeChars = Math.max('Output Shape'.length, ...rows.map((row) => row.shape.length));
  const paramChars = Math.max('Param #'.length, ...rows.map((row) => row.params.length));
  return { '--summary-shape-ch': shapeChars, '--summary-param-ch': paramChars } as CSSProperties;
}

export interface SummaryPanelProps {
  /** Called after a row selects its layer, e.g. to bring the layer into view. */
  onSelectLayer?(nodeId: string): void;
}

export function SummaryPanel({ onSelectLayer }: SummaryPanelProps) {
  const graph = useGraphStructure();
  const inference = useInference();
  const selectedNodeIds = useUiStore((state) => state.selectedNodeIds);
  const summary = useMemo(() => summarizeGraph(graph, inference), [graph, inference]);
  const errorNodes = useMemo(() => new Set(modelErrorNodeIds(inference)), [inference]);
  const mismatchNodes = useMemo(() => new Set(inference.errors.filter(isDataMismatch).map((error) => error.nodeId)), [inference]);
  const modelErrorCount = summary.errors.filter((error) => !isDataMismatch(error)).length;
  const problemOf = (nodeIds: readonly string[]): SummaryRowProps['problem'] => {
    if (nodeIds.some((id) => errorNodes.has(id))) return 'error';
    if (nodeIds.some((id) => mismatchNodes.has(id))) return 'data';
    return null;
  };
  const rows = useMemo(
    () =>
      summary.rows.map((row) => ({
        nodeId: row.nodeId,
        name: row.name,
        type: row.type,
        shape: formatOutputShape(row),
        params: row.outputShape === null ? null : row.params,
        connectedTo: !summary.sequential && row.connectedTo.length > 0 ? row.connectedTo.join(', ') : null,
        callNodeIds: row.callNodeIds,
      })),
    [summary],
  );
  // The row that Tab reaches: the one last focused while it exists, else the first.
  const [lastFocused, setLastFocused] = useState<string | null>(null);
  const tabStop = rows.some((row) => row.nodeId === lastFocused) ? lastFocused : (rows[0]?.nodeId ?? null);
  const widths = useMemo(
    () => columnWidths(rows.map((row) => ({ shape: row.shape, params: row.params === null ? '?' : formatCount(row.params) }))),
    [rows],
  );

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
          <div role="table" aria-label="Layers" className="summary__table" style={widths}>
            <div role="rowgroup" className="summary__head">
              <div role="row" className="summary__row">
                <span role="columnheader">Layer (type)</span>
                <span role="columnheader">Output Shape</span>
                <span role="columnheader" className="is-number">
                  Param #
                </span>
              </div>
              {!summary.sequential && (
                <div role="row" className="summary__inputs">
                  <span role="columnheader">← Connected to</span>
                </div>
              )}
            </div>
            {rows.map((row) => (
              <SummaryRow
                key={row.nodeId}
                nodeId={row.nodeId}
                name={row.name}
                type={row.type}
                shape={row.shape}
                params={row.params}
                connectedTo={row.connectedTo}
                selected={row.callNodeIds.some((id) => selectedNodeIds.includes(id))}
                problem={problemOf(row.callNodeIds)}
                tabStop={row.nodeId === tabStop}
                onSelect={select}
                onFocusRow={setLastFocused}
              />
            ))}
          </div>
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
      {modelErrorCount > 0 && (
        <p className="summary__errors" data-testid="summary-errors">
          {modelErrorCount === 1 ? '1 error' : `${modelErrorCount} errors`}
          {summary.rows.some((row) => row.outputShape === null)
            ? ': totals leave out layers whose shapes are unknown.'
            : ', shown on the layers concerned.'}
        </p>
      )}
      {mismatchNodes.size > 0 && (
        <p className="summary__mismatches" data-testid="summary-data-mismatches">
          {mismatchNodes.size === 1
            ? '1 layer does not fit the loaded data set: its note says what to change.'
            : `${mismatchNodes.size} layers do not fit the loaded data set: their notes say what to change.`}
        </p>
      )}
    </section>
  );
}
