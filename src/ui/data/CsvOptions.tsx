/**
 * Options of a loaded CSV file: the label column, missing values, decimal commas, standardisation,
 * and the columns left out or read as text. Each warning of the reader about a column comes with
 * buttons for the choices that resolve it.
 */
import { describeCsvWarning, type CsvWarning } from '../../data';
import { formatCount } from '../../layers';
import type { CsvChoices, CsvDetails } from '../../store/data-store';
import { changeCsvChoices } from './data-actions';

/** Writes a count of rows with the noun in the right number: "1 row", "12 rows". */
function rows(count: number): string {
  return `${formatCount(count)} ${count === 1 ? 'row' : 'rows'}`;
}

function missingSummary(details: CsvDetails): string {
  const { missing, rowsRead, rowsUsed } = details.report;
  const parts = [`${formatCount(missing.missingCells)} missing ${missing.missingCells === 1 ? 'value' : 'values'} in ${rows(rowsRead)}`];
  if (missing.rowsWithoutLabel > 0) parts.push(`${rows(missing.rowsWithoutLabel)} without a label removed`);
  if (missing.strategy === 'drop' && missing.rowsDropped > 0) parts.push(`${rows(missing.rowsDropped)} dropped`);
  if (missing.strategy === 'fill' && missing.cellsFilled > 0) {
    parts.push(`${formatCount(missing.cellsFilled)} ${missing.cellsFilled === 1 ? 'cell' : 'cells'} filled with the column mean or most frequent value`);
  }
  return `${parts.join('; ')}; ${rows(rowsUsed)} used.`;
}

type ChangeChoices = (changes: Partial<CsvChoices>) => void;

function WarningActions({ warning, choices, change }: { warning: CsvWarning; choices: CsvChoices; change: ChangeChoices }) {
  const leaveOut = (
    <button type="button" className="button" onClick={() => change({ ignoreColumns: [...(choices.ignoreColumns ?? []), warning.column] })} data-testid="csv-leave-out">
      Leave {warning.column} out
    </button>
  );
  switch (warning.kind) {
    case 'non-numeric':
      return (
        <>
          <button type="button" className="button" onClick={() => change({ textColumns: [...(choices.textColumns ?? []), warning.column] })} data-testid="csv-read-as-text">
            Read {warning.column} as text
          </button>
          {leaveOut}
        </>
      );
    case 'decimal-comma':
      return (
        <button type="button" className="button" onClick={() => change({ decimalComma: true })} data-testid="csv-read-decimal-commas">
          Read decimal commas
        </button>
      );
    case 'identifier':
      return leaveOut;
    case 'too-many-categories':
      return null;
  }
}

/** Columns the person left out or read as text, each with a button that takes the choice back. */
function ColumnChoices({ choices, change }: { choices: CsvChoices; change: ChangeChoices }) {
  const ignored = choices.ignoreColumns ?? [];
  const text = choices.textColumns ?? [];
  if (ignored.length === 0 && text.length === 0) return null;
  return (
    <ul className="csv-columns" data-testid="csv-column-choices">
      {ignored.map((column) => (
        <li key={`ignored-${column}`}>
          {column} is left out.{' '}
          <button type="button" className="button" onClick={() => change({ ignoreColumns: ignored.filter((name) => name !== column) })}>
            Use {column}
          </button>
        </li>
      ))}
      {text.map((column) => (
        <li key={`text-${column}`}>
          {column} is read as text.{' '}
          <button type="button" className="button" onClick={() => change({ textColumns: text.filter((name) => name !== column) })}>
            Read {column} as numbers
          </button>
        </li>
      ))}
    </ul>
  );
}

export function CsvOptions({ details, disabled }: { details: CsvDetails; disabled: boolean }) {
  const change: ChangeChoices = (changes) => void changeCsvChoices({ ...details.choices, ...changes });
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
      {report.warnings.length > 0 && (
        <ul className="csv-warnings" data-testid="csv-warnings">
          {report.warnings.map((warning) => (
            <li key={`${warning.kind}-${warning.column}`} className="data-warning">
              <p>{describeCsvWarning(warning)}</p>
              <WarningActions warning={warning} choices={details.choices} change={change} />
            </li>
          ))}
        </ul>
      )}
      <ColumnChoices choices={details.choices} change={change} />
      <label className="form-check">
        <input type="checkbox" checked={details.choices.decimalComma ?? false} onChange={(event) => change({ decimalComma: event.target.checked })} data-testid="csv-decimal-comma" />
        Decimal comma (read 0,5 as 0.5)
      </label>
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
