/**
 * Summary of the loaded data set: where it came from, the number of examples, the arrays with
 * their shapes and dtypes, the label balance and a few examples.
 */
import { formatShape } from '../../data';
import { formatCount } from '../../layers';
import type { LoadedData } from '../../store/data-store';
import { ExamplePreview } from './ExamplePreview';
import { LabelBalance } from './LabelBalance';

/** Describes the shape of one example: "of length 200", "of shape 28 × 28 × 1". */
function describeExampleShape(shape: readonly number[]): string {
  if (shape.length === 0) return 'of one value';
  if (shape.length === 1) return `of length ${shape[0]}`;
  return `of shape ${shape.join(' × ')}`;
}

export function DatasetSummary({ loaded }: { loaded: LoadedData }) {
  const { dataset } = loaded;
  const exampleShape = describeExampleShape(dataset.features.shape);

  return (
    <div className="dataset-summary" data-testid="data-summary">
      <p className="dataset-summary__headline">
        <strong data-testid="data-source">{loaded.sourceName}</strong>
        <span className="dataset-summary__count" data-testid="data-example-count">
          {formatCount(dataset.count)} {dataset.count === 1 ? 'example' : 'examples'}
        </span>
        <span className="muted" data-testid="data-example-shape">
          {exampleShape}
        </span>
      </p>

      <table className="arrays" data-testid="data-arrays">
        <thead>
          <tr>
            <th scope="col">Array</th>
            <th scope="col">Shape</th>
            <th scope="col">dtype</th>
          </tr>
        </thead>
        <tbody>
          {loaded.arrays.map((array) => (
            <tr key={`file-${array.name}`}>
              <td>{array.name}</td>
              <td>{formatShape(array.shape)}</td>
              <td>{array.dtype}</td>
            </tr>
          ))}
          <tr className="arrays__converted" title="As the model receives them">
            <td>features</td>
            <td>{formatShape([dataset.count, ...dataset.features.shape])}</td>
            <td>{dataset.features.dtype}</td>
          </tr>
          <tr className="arrays__converted" title="As the model receives them">
            <td>labels</td>
            <td>{formatShape([dataset.count, ...dataset.labels.shape])}</td>
            <td>{dataset.labels.dtype}</td>
          </tr>
        </tbody>
      </table>
      <p className="data-note">
        {dataset.task === 'classification' ? 'Classification' : 'Regression'}
        {loaded.balance.length > 0 ? ` into ${formatCount(loaded.balance.length)} classes` : ''}.
      </p>
      {loaded.nonFinite.map((entry) => (
        <p key={entry.array} className="data-warning" role="note" data-testid="data-non-finite">
          The {entry.array} contain {formatCount(entry.count)} NaN or infinite {entry.count === 1 ? 'value' : 'values'}, the first in example{' '}
          {entry.firstExample}, and training rejects data that contains them. Replace or remove them in the file, e.g. with numpy.nan_to_num.
        </p>
      ))}

      <LabelBalance loaded={loaded} />

      <div className="data-block">
        <h3 className="data-block__title">First examples</h3>
        <ExamplePreview dataset={dataset} />
      </div>
    </div>
  );
}
