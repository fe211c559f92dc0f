/**
 * How the loaded data fits the model: the Input layer against the features, the last layer
 * against the labels. Each mismatch shows here and on its node, with the one-click fix where
 * there is one; "Fit the model to the data" applies all of them as one undo step.
 */
import { applyFix } from '../../graph/edit';
import type { GraphError } from '../../graph/types';
import { applyGraphFix } from '../../store/actions';
import { useGraphStore } from '../../store/graph-store';
import { useGraphStructure, useInference } from '../../store/inference';

function applyAllFixes(errors: GraphError[]): void {
  const fixes = errors.flatMap((error) => (error.fix ? [error.fix] : []));
  useGraphStore.getState().applyEdit((graph) => fixes.reduce(applyFix, graph));
}

/** Shown while a data set is loaded; the mismatches come from `useInference`, which adds them to the graph's errors. */
export function ModelFit() {
  const graph = useGraphStructure();
  const inference = useInference();
  const mismatches = inference.errors.filter((error) => error.code === 'data-mismatch');
  const fixable = mismatches.filter((error) => error.fix);

  if (graph.nodes.length === 0) return null;
  if (mismatches.length === 0) {
    const others = inference.errors.length;
    return (
      <p className={`model-fit ${others === 0 ? 'model-fit--ok' : 'model-fit--error'}`} data-testid="data-model-fit">
        The model's input and output fit this data.
        {others > 0 && ` The model itself has ${others === 1 ? '1 error' : `${others} errors`}; fix ${others === 1 ? 'it' : 'them'} on the canvas before training.`}
      </p>
    );
  }
  return (
    <div className="model-fit model-fit--mismatch" role="note" data-testid="data-model-fit">
      <ul>
        {mismatches.map((error, index) => (
          <li key={index} className="is-data">
            <p>{error.message}.</p>
            {error.fix && (
              <button type="button" className="fix-button" onClick={() => applyGraphFix(error.fix!)} data-testid="data-fix">
                {error.fix.label}
              </button>
            )}
          </li>
        ))}
      </ul>
      {fixable.length > 1 && (
        <button type="button" className="button" onClick={() => applyAllFixes(fixable)} data-testid="data-fix-all">
          Fit the model to the data
        </button>
      )}
    </div>
  );
}
