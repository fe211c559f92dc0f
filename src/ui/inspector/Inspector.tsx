/**
 * The inspector of the selected layer: its name, one field per parameter, and the arithmetic
 * behind its output shape and parameter count, so every number on the canvas is explained.
 */
import { useId, useLayoutEffect, useRef, useState } from 'react';
import { validateLayerName } from '../../graph/edit';
import type { NodeInference } from '../../graph/infer';
import type { GraphError, GraphNode, Shape } from '../../graph/types';
import { formatCount, formatShape, getLayerKind, type LayerKind } from '../../layers';
import { explainParams } from '../../layers/explain';
import { withDefaults } from '../../layers/params';
import { applyGraphFix, renameLayer, setLayerParam } from '../../store/actions';
import { isDataMismatch, useGraphStructure, useInference } from '../../store/inference';
import { useUiStore } from '../../store/ui-store';
import { useResetOnExternalChange } from './drafts';
import { ParamFields } from './ParamFields';

function NameField({ node }: { node: GraphNode }) {
  const inputId = useId();
  const graph = useGraphStructure();
  const [text, setText] = useState(node.name);
  useResetOnExternalChange(node.name, text, () => setText(node.name));
  const problem = validateLayerName(graph, node.id, text);

  return (
    <div className={`field${problem ? ' is-invalid' : ''}`}>
      <div className="field__top">
        <label className="field__label" htmlFor={inputId}>
          name
        </label>
        <span className="field__hint">unique in the model</span>
      </div>
      <input
        id={inputId}
        type="text"
        spellCheck={false}
        autoComplete="off"
        value={text}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? `${inputId}-problem` : undefined}
        data-testid="inspector-layer-name"
        onChange={(event) => {
          setText(event.target.value);
          if (validateLayerName(graph, node.id, event.target.value) === null) renameLayer(node.id, event.target.value);
        }}
      />
      {problem && (
        <p className="field__problem" id={`${inputId}-problem`} aria-live="polite">
          {problem}
        </p>
      )}
    </div>
  );
}

function shapesText(shapes: (Shape | null)[] | null): string {
  if (!shapes || shapes.length === 0) return '—';
  return shapes.map((shape) => (shape ? formatShape(shape) : '?')).join(', ');
}

function Explanation({ kind, node, inference }: { kind: LayerKind; node: GraphNode; inference: NodeInference | undefined }) {
  const inputs = inference?.inputShapes ?? [];
  const known = inputs.length > 0 && inputs.every((shape): shape is Shape => shape !== null);
  let shapeLines: string[] = [];
  if (known && inference?.outputShapes && kind.explainShape) {
    try {
      shapeLines = kind.explainShape(inputs, withDefaults(kind, node.params));
    } catch (error) {
      console.warn(`Layerlab: explainShape of ${kind.className} failed on node ${node.id}`, error);
    }
  }
  const total = (inference?.trainableParams ?? 0) + (inference?.nonTrainableParams ?? 0);

  return (
    <section className="explain" aria-label="How the numbers come about">
      <h4>Shapes</h4>
      <dl className="explain__shapes">
        {kind.inputs.max > 0 && (
          <>
            <dt>input</dt>
            <dd data-testid="explain-input-shape">{shapesText(inputs)}</dd>
          </>
        )}
        <dt>output</dt>
        <dd data-testid="explain-output-shape">{shapesText(inference?.outputShapes ?? null)}</dd>
      </dl>
      {shapeLines.length > 0 && (
        <ul className="explain__lines" data-testid="explain-shape">
          {shapeLines.map((line, index) => (
            <li key={index}>{line}</li>
          ))}
        </ul>
      )}
      <h4>Parameters</h4>
      {inference?.shared ? (
        <p data-testid="explain-params">Weights are shared with another layer and counted there.</p>
      ) : (
        <>
          <p className="explain__params" data-testid="explain-params">
            {inference?.outputShapes ? explainParams(inference.weights) : 'unknown until the errors are fixed'}
          </p>
          {inference && inference.nonTrainableParams > 0 && (
            <p className="explain__note">
              {formatCount(inference.trainableParams)} trainable, {formatCount(inference.nonTrainableParams)} non-trainable (moving statistics are not
              learned by gradient descent).
            </p>
          )}
          {inference?.outputShapes && total === 0 && inference.weights.length === 0 && <p className="explain__note">This layer has no weights.</p>}
        </>
      )}
    </section>
  );
}

function NodeErrors({ errors }: { errors: GraphError[] }) {
  if (errors.length === 0) return null;
  return (
    <div className="inspector__errors" role="note">
      {errors.map((error, index) => (
        <div key={index} className={`inspector__error${isDataMismatch(error) ? ' is-data' : ''}`}>
          {isDataMismatch(error) && <p className="note__kind">Does not fit the loaded data set</p>}
          <p>{error.message}</p>
          {error.fix && (
            <button type="button" className="fix-button" onClick={() => applyGraphFix(error.fix!)}>
              {error.fix.label}
            </button>
          )}
        </div>
      ))}
    </div>
  );
}

/** Renders the form for one layer. `Inspector` keys it by node id, so typed drafts do not carry over to another layer. */
export function LayerInspector({ node }: { node: GraphNode }) {
  const inference = useInference();
  const kind = getLayerKind(node.kind);
  const errors = inference.errors.filter((error) => error.nodeId === node.id);

  if (!kind) {
    return (
      <div className="inspector__body">
        <h3 className="inspector__title">{node.kind}</h3>
        <NodeErrors errors={errors} />
      </div>
    );
  }

  return (
    <div className="inspector__body">
      <header className="inspector__header">
        <h3 className="inspector__title">{kind.className}</h3>
        <p className="inspector__description">{kind.description}</p>
      </header>
      <NodeErrors errors={errors} />
      <Explanation kind={kind} node={node} inference={inference.nodes.get(node.id)} />
      <form className="inspector__form" onSubmit={(event) => event.preventDefault()} aria-label={`Settings of ${node.name}`}>
        <NameField node={node} />
        <ParamFields
          specs={kind.params}
          params={withDefaults(kind, node.params)}
          testIdPrefix="inspector"
          onCommit={(name, value) => setLayerParam(node.id, name, value)}
        />
      </form>
    </div>
  );
}

export function Inspector() {
  const graph = useGraphStructure();
  const selectedNodeIds = useUiStore((state) => state.selectedNodeIds);
  const selected = graph.nodes.filter((node) => selectedNodeIds.includes(node.id));
  const shownId = selected.length === 1 ? selected[0].id : null;
  const panel = useRef<HTMLElement>(null);

  // Another layer's settings start from the top, with its name and description.
  useLayoutEffect(() => {
    if (panel.current) panel.current.scrollTop = 0;
  }, [shownId]);

  return (
    <aside ref={panel} className={`inspector panel${selected.length === 1 ? '' : ' is-empty'}`} aria-label="Inspector">
      <h2 className="panel__title">Inspector</h2>
      {selected.length === 0 && <p className="panel__empty">Select a layer to see and change its settings.</p>}
      {selected.length > 1 && <p className="panel__empty">{selected.length} layers selected. Select one to change its settings.</p>}
      {selected.length === 1 && <LayerInspector key={selected[0].id} node={selected[0]} />}
    </aside>
  );
}
