/** Options of a loaded CSV file: the label column, what to do with missing values, and standardisation. */
import { formatCount } from '../../layers';
import type { CsvChoices, CsvDetails } from '../../store/data-store';
import { changeCsvChoices } from './data-actions';

function missingSummary(details: CsvDetails): string {
  const { missing, rowsRead, rowsUsed } = details.report;
  const parts = [`${formatCount(missing.missingCells)} missing ${missing.missingCells === 1 ? 'value' : 'values'} in ${formatCount(rowsRead)} rows`];
  if (missing.rowsWithoutLabel > 0) parts.push(`${formatCount(missing.rowsWithoutLabel)} rows without a label removed`);
  if (missing.strategy === 'drop' && missing.rowsDropped > 0) parts.push(`${formatCount(missing.rowsDropped)} rows dropped`);
  if (missing.strategy === 'fill' && missing.cellsFilled > 0) parts.push(`${formatCount(missing.cellsFilled)} cells filled with the column mean or most frequent value`);
  return `${parts.join('; ')}; ${formatCount(rowsUsed)} rows used.`;
}

export function CsvOptions({ details, disabled }: { details: CsvDetails; disabled: boolean }) {
  const change = (changes: Partial<CsvChoices>) => void changeCsvChoices({ ...details.choices, ...changes });
  const { report } = details;

  return (
    <fieldset className="data-block csv-options" data-testid="csv-options" disabled={disabled}>
      <legend className="data-block__title">CSV</legend>
      <label className="form-row">
        <span className="form-field__label">Label column</span>
        <select value={details.choices.labelColumn} onChange={(event) => change({ labelColumn: event.target.value })} data-testid="csv-label-column">
          {details.columns.map((column) => (
            <option key={column} value={column}>
              {column}
            </option>
          ))}
        </select>
      </label>
      <div className="form-row" role="radiogroup" aria-label="Missing values">
        <span className="form-field__label">Missing values</span>
        <label className="radio">
          <input type="radio" name="csv-missing" checked={details.choices.missing === 'drop'} onChange={() => change({ missing: 'drop' })} data-testid="csv-missing-drop" />
          drop rows
        </label>
        <label className="radio">
          <input type="radio" name="csv-missing" checked={details.choices.missing === 'fill'} onChange={() => change({ missing: 'fill' })} data-testid="csv-missing-fill" />
          fill
        </label>
      </div>
      <p className="data-note" data-testid="csv-missing-summary">
        {missingSummary(details)}
      </p>
      <label className="form-check">
        <input type="checkbox" checked={details.choices.standardize} onChange={(event) => change({ standardize: event.target.checked })} data-testid="csv-standardize" />
        Standardise numeric columns (mean 0, standard deviation 1)
      </label>
      <p className="data-note">
        {report.featureNames.length} features from {report.numericColumns.length} numeric
        {report.categoricalColumns.length > 0 ? ` and ${report.categoricalColumns.length} one-hot encoded text` : ''} columns.
      </p>
    </fieldset>
  );
}
