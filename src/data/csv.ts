/**
 * Reader for `.csv` files with a header row: numeric columns become features as they are, text
 * (categorical) columns become one-hot features, and one column becomes the labels.
 */

import Papa from 'papaparse';
import type { Dataset, DatasetTask, ExampleTensor } from './dataset';
import { DataFileError } from './errors';

/** Cell values, after trimming, that count as missing. */
export const MISSING_VALUE_TOKENS: readonly string[] = ['', 'NA', 'NaN', '?'];

/** Maximum number of distinct values in a text feature column; each one becomes a one-hot feature. */
export const MAX_ONE_HOT_CATEGORIES = 100;

/** Maximum number of distinct integer labels for which a numeric label column is taken as classes, not regression targets. */
export const MAX_GUESSED_CLASSES = 20;

export interface CsvOptions {
  /** File name shown in messages and stored as the data set's source. */
  name?: string;
  /** Name of the label column; defaults to the last column. */
  labelColumn?: string;
  /** Columns to leave out, e.g. ids or free text. */
  ignoreColumns?: string[];
  /** Handling of missing feature values: remove the rows ('drop', the default) or fill the cells ('fill'). */
  missing?: 'drop' | 'fill';
  /** Rescale each numeric feature column to mean 0 and standard deviation 1; defaults to false. */
  standardize?: boolean;
  /**
   * Overrides the task guessed from the label column. Text labels are always classes; numeric labels
   * are classes when all are integers with at most MAX_GUESSED_CLASSES distinct values.
   */
  task?: DatasetTask;
  /** Field delimiter; defaults to papaparse's detection, which falls back to ','. */
  delimiter?: string;
  /** Columns read as text (one-hot) although most of their values are numbers. */
  textColumns?: string[];
  /** Reads numbers written with a decimal comma, such as '0,5', as 0.5; defaults to false. */
  decimalComma?: boolean;
}

/** Maximum number of values the report quotes from a column whose numbers contain text. */
export const MAX_QUOTED_VALUES = 3;

/** Distinct text values from which a column that is distinct in most rows looks like an identifier. */
export const MIN_IDENTIFIER_VALUES = 10;

/** A cell quoted in a warning, with the line of the file it is on. */
export interface CsvCell {
  line: number;
  value: string;
}

/**
 * Something about a column that did not stop the file from loading, but changed how the column
 * was read or may make a poor feature. `describeCsvWarning` turns each into a message.
 */
export type CsvWarning =
  /** A column of numbers with a few values that are not numbers, read as missing values. */
  | { kind: 'non-numeric'; column: string; count: number; cells: CsvCell[] }
  /** A column whose values are all numbers written with a decimal comma, read as text. */
  | { kind: 'decimal-comma'; column: string; cell: CsvCell }
  /** A text column with a distinct value in most rows, such as a name or id. */
  | { kind: 'identifier'; column: string; distinct: number; rows: number }
  /** A text column with more distinct values than one-hot encoding accepts, left out. */
  | { kind: 'too-many-categories'; column: string; distinct: number };

/** A text column turned into one-hot features, with its categories in feature order. */
export interface CategoricalColumn {
  column: string;
  categories: string[];
}

/** Summary of the columns, missing values and scaling that `parseCsv` applied, for display next to the data set. */
export interface CsvReport {
  labelColumn: string;
  task: DatasetTask;
  /** One name per feature: the column name, or `column=category` for one-hot features. */
  featureNames: string[];
  numericColumns: string[];
  categoricalColumns: CategoricalColumn[];
  ignoredColumns: string[];
  /** Columns read as text on request (`textColumns`), although most of their values are numbers. */
  textColumns: string[];
  warnings: CsvWarning[];
  rowsRead: number;
  rowsUsed: number;
  missing: {
    strategy: 'drop' | 'fill';
    /** Missing feature cells in the rows that have a label. */
    missingCells: number;
    /** Rows removed because their label was missing; this happens with either strategy. */
    rowsWithoutLabel: number;
    /** Rows removed because a feature value was missing, with the 'drop' strategy. */
    rowsDropped: number;
    /** Cells filled, with the 'fill' strategy. */
    cellsFilled: number;
    /** The value each column was filled with: its mean, or its most frequent category. */
    fillValues: { column: string; value: number | string }[];
  };
  /** Mean and population standard deviation of each numeric column before standardisation. */
  standardization?: { column: string; mean: number; std: number }[];
}

interface ParsedTable {
  header: string[];
  rows: string[][];
  /** Returns the 1-based line of the file on which data row `rowIndex` starts. */
  lineOf: (rowIndex: number) => number;
}

/** Reads the header row of a CSV file, so that a person can pick the label column. */
export function readCsvColumns(text: string, options: Pick<CsvOptions, 'name' | 'delimiter'> = {}): string[] {
  return parseTable(text, options.name ?? 'file.csv', options.delimiter, 1).header;
}

/**
 * Parses a CSV file with a header row into a data set with float32 features.
 * Throws DataFileError on an empty file, ragged rows, unknown columns and unusable values.
 */
export function parseCsv(text: string, options: CsvOptions = {}): { dataset: Dataset; report: CsvReport } {
  const fileName = options.name ?? 'file.csv';
  const table = parseTable(text, fileName, options.delimiter);
  const { header, lineOf } = table;
  const rows = options.decimalComma ? table.rows.map((row) => row.map(toDecimalPoint)) : table.rows;

  const labelColumn = options.labelColumn ?? header[header.length - 1];
  const labelIndex = header.indexOf(labelColumn);
  if (labelIndex < 0) throw unknownColumn(fileName, labelColumn, header, 'label column');
  const ignored = options.ignoreColumns ?? [];
  const textColumns = options.textColumns ?? [];
  for (const column of [...ignored, ...textColumns]) {
    if (!header.includes(column)) throw unknownColumn(fileName, column, header, ignored.includes(column) ? 'column to ignore' : 'text column');
  }
  const requestedIndices = header.map((_, index) => index).filter((index) => index !== labelIndex && !ignored.includes(header[index]));

  // Rows without a label teach nothing, so they are removed whatever the missing-value strategy.
  const labelledIndices = rows.map((_, index) => index).filter((index) => !isMissing(rows[index][labelIndex]));
  const checked = checkColumnValues(header, rows, labelledIndices, requestedIndices, textColumns, lineOf);
  const featureIndices = requestedIndices.filter((index) => !checked.leftOut.includes(index));
  if (featureIndices.length === 0) {
    const leftOut = checked.leftOut.map((index) => `'${header[index]}'`).join(', ');
    throw new DataFileError(
      'invalid-csv',
      `${fileName} has no feature columns besides the label column '${labelColumn}'` +
        (leftOut ? `, because ${leftOut} had too many distinct text values to one-hot encode` : '') +
        '. Add feature columns or ignore fewer columns.',
      fileName,
    );
  }
  const labelled = labelledIndices.map((index) => checked.rows[index]);
  const rowsWithoutLabel = rows.length - labelled.length;

  const labelledColumns = featureIndices.map((index) => describeColumn(header[index], labelled.map((row) => row[index]), fileName));
  const missingCells = labelledColumns.reduce((sum, column) => sum + column.missingCount, 0);
  const strategy = options.missing ?? 'drop';
  const featureRows =
    strategy === 'drop'
      ? labelled.filter((row) => featureIndices.every((index) => !isMissing(row[index])))
      : labelled;
  if (featureRows.length === 0) {
    throw new DataFileError(
      'invalid-csv',
      `${fileName} has no rows left once rows with missing values are removed (${rows.length} rows read, ` +
        `${rowsWithoutLabel} without a label). Fill the missing values with the 'fill' option or fix the file.`,
      fileName,
    );
  }

  // Column types, categories, means and standard deviations come from the rows actually used.
  const columns =
    strategy === 'drop'
      ? featureIndices.map((index) => describeColumn(header[index], featureRows.map((row) => row[index]), fileName))
      : labelledColumns;
  const encoded = encodeFeatures(columns, featureIndices, featureRows, strategy, options.standardize ?? false);
  const labels = encodeLabels(featureRows.map((row) => row[labelIndex]), labelColumn, options.task, fileName);

  const dataset: Dataset = {
    name: fileName.replace(/\.csv$/i, ''),
    features: { shape: [encoded.featureNames.length], dtype: 'float32', data: encoded.data },
    labels: labels.tensor,
    count: featureRows.length,
    task: labels.task,
    ...(labels.classNames ? { classNames: labels.classNames } : {}),
    source: { kind: 'csv', fileName, labelColumn },
  };
  const report: CsvReport = {
    labelColumn,
    task: labels.task,
    featureNames: encoded.featureNames,
    numericColumns: columns.filter((column) => column.kind === 'numeric').map((column) => column.name),
    categoricalColumns: columns
      .filter((column) => column.kind === 'categorical')
      .map((column) => ({ column: column.name, categories: column.categories })),
    ignoredColumns: [...ignored],
    textColumns: [...textColumns],
    warnings: checked.warnings,
    rowsRead: rows.length,
    rowsUsed: featureRows.length,
    missing: {
      strategy,
      missingCells,
      rowsWithoutLabel,
      rowsDropped: labelled.length - featureRows.length,
      cellsFilled: encoded.cellsFilled,
      fillValues: encoded.fillValues,
    },
    ...(encoded.standardization ? { standardization: encoded.standardization } : {}),
  };
  return { dataset, report };
}

function unknownColumn(fileName: string, column: string, header: string[], role: string): DataFileError {
  return new DataFileError(
    'missing-column',
    `${fileName} has no column '${column}' to use as the ${role}; its columns are ${header.map((name) => `'${name}'`).join(', ')}. ` +
      'Pick one of those.',
    fileName,
  );
}

function isMissing(value: string): boolean {
  return MISSING_VALUE_TOKENS.includes(value.trim());
}

/** A decimal number as written in CSV files; rejects forms Number() accepts such as '0x1F' and ' '. */
const NUMBER_PATTERN = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

function parseNumber(value: string): number | undefined {
  const trimmed = value.trim();
  if (!NUMBER_PATTERN.test(trimmed)) return undefined;
  const number = Number(trimmed);
  return Number.isFinite(number) ? number : undefined;
}

/** Splits the text into a header and rows of equal length, reading at most `maxRows` rows, header included, when given. */
function parseTable(text: string, fileName: string, delimiter = '', maxRows?: number): ParsedTable {
  const content = text.replace(/^\uFEFF/, '');
  if (content.trim() === '') {
    throw new DataFileError('empty-file', `${fileName} is empty. Choose a CSV file with a header row and at least one data row.`, fileName);
  }

  const rows: string[][] = [];
  // For each row, the offset where the previous row ended, from which lineOfRow finds its line.
  const previousRowEnds: number[] = [];
  let lastRowEnd = 0;
  let failure: DataFileError | undefined;
  Papa.parse<string[]>(content, {
    delimiter,
    skipEmptyLines: true,
    preview: maxRows ?? 0,
    step: (result, parser) => {
      rows.push(result.data);
      previousRowEnds.push(lastRowEnd);
      lastRowEnd = result.meta.cursor;
      const quoteError = result.errors.find((error) => error.type === 'Quotes');
      if (quoteError && !failure) {
        const line = lineOfRow(content, previousRowEnds[previousRowEnds.length - 1]);
        failure = new DataFileError(
          'invalid-csv',
          `${fileName} has a quoting error on line ${line}: ${quoteError.message}. Close the quoted field or remove the stray quote.`,
          fileName,
        );
        parser.abort();
      }
    },
  });
  if (failure) throw failure;

  // A first row of numbers only is taken as data, which means the file lacks a header row.
  // NOTE: a header whose names are all numbers, such as years, is rejected as well.
  if (rows[0].every((name) => parseNumber(name) !== undefined)) {
    throw new DataFileError(
      'invalid-csv',
      `The first row of ${fileName} (${rows[0].slice(0, 5).join(', ')}${rows[0].length > 5 ? ', …' : ''}) contains only numbers, so it looks like data, ` +
        'not a header. Add a header row with one name per column as the first line, e.g. x1,x2,label.',
      fileName,
    );
  }
  const header = rows[0].map((name, index) => name.trim() || `column ${index + 1}`);
  const duplicate = header.find((name, index) => header.indexOf(name) !== index);
  if (duplicate !== undefined) {
    throw new DataFileError('invalid-csv', `${fileName} has two columns named '${duplicate}' in its header. Rename one of them.`, fileName);
  }

  const dataRows = rows.slice(1);
  for (let index = 0; index < dataRows.length; index++) {
    const fieldCount = dataRows[index].length;
    if (fieldCount === header.length) continue;
    const line = lineOfRow(content, previousRowEnds[index + 1]);
    throw new DataFileError(
      'ragged-row',
      `${fileName} line ${line} has ${fieldCount} ${fieldCount === 1 ? 'field' : 'fields'}, but the header has ${header.length}. ` +
        'Give every row one value per column, leaving missing values empty, or quote values that contain the delimiter.',
      fileName,
    );
  }
  if (dataRows.length === 0 && maxRows === undefined) {
    throw new DataFileError('empty-file', `${fileName} has a header row but no data rows. Add rows of examples.`, fileName);
  }
  return { header, rows: dataRows, lineOf: (rowIndex) => lineOfRow(content, previousRowEnds[rowIndex + 1]) };
}

/**
 * Returns the 1-based line on which a row starts, given the offset where the previous row ended.
 * Blank lines between the two are skipped, as the parser skips them.
 */
function lineOfRow(text: string, previousRowEnd: number): number {
  let start = previousRowEnd;
  while (text[start] === '\n' || text[start] === '\r') start++;
  let line = 1;
  for (let i = 0; i < start; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

type ColumnSummary =
  | { kind: 'numeric'; name: string; missingCount: number; mean: number; std: number }
  | { kind: 'categorical'; name: string; missingCount: number; categories: string[]; mostFrequent: string };

/** Decides whether a column is numeric or categorical and computes its statistics over non-missing values. */
function describeColumn(name: string, values: string[], fileName: string): ColumnSummary {
  // checkColumnValues has already turned stray text in numeric columns into missing values and
  // left out text columns with more than MAX_ONE_HOT_CATEGORIES values.
  const present = values.filter((value) => !isMissing(value));
  const missingCount = values.length - present.length;
  if (present.length === 0) {
    throw new DataFileError(
      'invalid-csv',
      `${fileName} column '${name}' has no values in any labelled row. Leave it out with the ignoreColumns option.`,
      fileName,
    );
  }

  const numbers = present.map(parseNumber);
  if (numbers.every((number) => number !== undefined)) {
    const values = numbers as number[];
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length;
    return { kind: 'numeric', name, missingCount, mean, std: Math.sqrt(variance) };
  }

  const counts = new Map<string, number>();
  for (const value of present) counts.set(value.trim(), (counts.get(value.trim()) ?? 0) + 1);
  const categories = [...counts.keys()].sort();
  // Ties go to the category that sorts first, so the fill value does not depend on row order.
  const mostFrequent = categories.reduce((best, category) => (counts.get(category)! > counts.get(best)! ? category : best));
  return { kind: 'categorical', name, missingCount, categories, mostFrequent };
}

/** A number written with a decimal comma, such as '0,5' or '-1,25e3'. */
const DECIMAL_COMMA_PATTERN = /^\s*[-+]?(\d+,\d*|,\d+)([eE][-+]?\d+)?\s*$/;

/** Rewrites a number with a decimal comma to use a decimal point; other values stay as they are. */
function toDecimalPoint(value: string): string {
  return DECIMAL_COMMA_PATTERN.test(value) ? value.replace(',', '.') : value;
}

/**
 * Checks the values of each feature column in the labelled rows before the columns are encoded.
 * A column whose values are mostly numbers is read as numbers, and its other values become
 * missing values, unless it is listed in `textColumns`. A text column with more than
 * MAX_ONE_HOT_CATEGORIES values is left out. Each case is reported as a warning, as are text
 * columns that look like identifiers and numbers written with a decimal comma.
 * Returns copies of the rows with the stray values blanked, and the indices of left-out columns.
 */
function checkColumnValues(
  header: string[],
  rows: string[][],
  labelledIndices: number[],
  featureIndices: number[],
  textColumns: string[],
  lineOf: (rowIndex: number) => number,
): { rows: string[][]; leftOut: number[]; warnings: CsvWarning[] } {
  const cleaned = rows.map((row) => row.slice());
  const leftOut: number[] = [];
  const warnings: CsvWarning[] = [];

  for (const columnIndex of featureIndices) {
    const column = header[columnIndex];
    const present = labelledIndices.filter((rowIndex) => !isMissing(rows[rowIndex][columnIndex]));
    if (present.length === 0) continue;
    const notNumbers = present.filter((rowIndex) => parseNumber(rows[rowIndex][columnIndex]) === undefined);
    if (notNumbers.length === 0) continue;

    const mostlyNumbers = notNumbers.length < present.length / 2;
    if (mostlyNumbers && !textColumns.includes(column)) {
      for (const rowIndex of notNumbers) cleaned[rowIndex][columnIndex] = '';
      const cells = notNumbers.slice(0, MAX_QUOTED_VALUES).map((rowIndex) => ({ line: lineOf(rowIndex), value: rows[rowIndex][columnIndex] }));
      warnings.push({ kind: 'non-numeric', column, count: notNumbers.length, cells });
      continue;
    }

    const withComma = notNumbers.find((rowIndex) => DECIMAL_COMMA_PATTERN.test(rows[rowIndex][columnIndex]));
    const allDecimalCommas = notNumbers.every((rowIndex) => parseNumber(toDecimalPoint(rows[rowIndex][columnIndex])) !== undefined);
    if (withComma !== undefined && allDecimalCommas) {
      warnings.push({ kind: 'decimal-comma', column, cell: { line: lineOf(withComma), value: rows[withComma][columnIndex] } });
      continue;
    }

    const distinct = new Set(present.map((rowIndex) => rows[rowIndex][columnIndex].trim())).size;
    if (distinct > MAX_ONE_HOT_CATEGORIES) {
      leftOut.push(columnIndex);
      warnings.push({ kind: 'too-many-categories', column, distinct });
    } else if (distinct >= MIN_IDENTIFIER_VALUES && distinct > present.length / 2) {
      warnings.push({ kind: 'identifier', column, distinct, rows: present.length });
    }
  }
  return { rows: cleaned, leftOut, warnings };
}

function quoteCells(cells: CsvCell[]): string {
  return cells.map((cell) => `'${cell.value}' on line ${cell.line}`).join(', ');
}

/** Writes a warning of `parseCsv` as a message that names the column, the values and what to do. */
export function describeCsvWarning(warning: CsvWarning): string {
  const column = `'${warning.column}'`;
  switch (warning.kind) {
    case 'non-numeric': {
      const more = warning.count > warning.cells.length ? ` and ${warning.count - warning.cells.length} more` : '';
      const values = warning.count === 1 ? 'a value that is not a number' : `${warning.count} values that are not numbers`;
      return (
        `Column ${column} holds numbers but ${values}: ${quoteCells(warning.cells)}${more}. ` +
        `${warning.count === 1 ? 'It is read as a missing value' : 'They are read as missing values'}. ` +
        `Fix ${warning.count === 1 ? 'the value' : 'the values'} in the file, read ${column} as text, or leave ${column} out.`
      );
    }
    case 'decimal-comma':
      return (
        `Column ${column} holds numbers written with a decimal comma, such as '${warning.cell.value}' on line ${warning.cell.line}, ` +
        'so it was read as text and one-hot encoded. Read decimal commas to use them as numbers.'
      );
    case 'identifier':
      return (
        `Column ${column} has ${warning.distinct} distinct text values in ${warning.rows} rows, so it looks like a name or identifier. ` +
        `Its one-hot features let a model memorise rows instead of learning; leave ${column} out unless it is a real category.`
      );
    case 'too-many-categories':
      return (
        `Column ${column} has ${warning.distinct} distinct text values, more than the ${MAX_ONE_HOT_CATEGORIES} that one-hot ` +
        'encoding accepts, so it was left out. Encode it as numbers in the file to use it.'
      );
  }
}

function encodeFeatures(
  columns: ColumnSummary[],
  featureIndices: number[],
  rows: string[][],
  strategy: 'drop' | 'fill',
  standardize: boolean,
) {
  const featureNames: string[] = [];
  for (const column of columns) {
    if (column.kind === 'numeric') featureNames.push(column.name);
    else for (const category of column.categories) featureNames.push(`${column.name}=${category}`);
  }

  const width = featureNames.length;
  const data = new Float32Array(rows.length * width);
  let cellsFilled = 0;
  rows.forEach((row, rowIndex) => {
    let offset = rowIndex * width;
    columns.forEach((column, columnIndex) => {
      const cell = row[featureIndices[columnIndex]];
      const missing = isMissing(cell);
      if (missing) cellsFilled++;
      if (column.kind === 'numeric') {
        const value = missing ? column.mean : parseNumber(cell)!;
        // NOTE: mean and std come from all rows, so a later validation split is not fully unseen.
        data[offset++] = standardize ? (value - column.mean) / (column.std || 1) : value;
      } else {
        const category = missing ? column.mostFrequent : cell.trim();
        data[offset + column.categories.indexOf(category)] = 1;
        offset += column.categories.length;
      }
    });
  });

  const fillValues =
    strategy === 'fill'
      ? columns
          .filter((column) => column.missingCount > 0)
          .map((column) => ({ column: column.name, value: column.kind === 'numeric' ? column.mean : column.mostFrequent }))
      : [];
  const standardization = standardize
    ? columns.flatMap((column) => (column.kind === 'numeric' ? [{ column: column.name, mean: column.mean, std: column.std }] : []))
    : undefined;
  return { featureNames, data, cellsFilled, fillValues, standardization };
}

function encodeLabels(
  values: string[],
  labelColumn: string,
  requestedTask: DatasetTask | undefined,
  fileName: string,
): { tensor: ExampleTensor; task: DatasetTask; classNames?: string[] } {
  const numbers = values.map(parseNumber);
  const numeric = numbers.every((number) => number !== undefined);

  if (!numeric) {
    if (requestedTask === 'regression') {
      const index = numbers.findIndex((number) => number === undefined);
      throw new DataFileError(
        'invalid-option',
        `${fileName} label column '${labelColumn}' contains the text '${values[index]}', so it cannot be a regression target. ` +
          'Choose classification, or a numeric label column.',
        fileName,
      );
    }
    return classIndices(values.map((value) => value.trim()), (a, b) => a.localeCompare(b));
  }

  const labels = numbers as number[];
  const distinct = new Set(labels);
  const integers = labels.every(Number.isInteger);
  const task = requestedTask ?? (integers && distinct.size <= MAX_GUESSED_CLASSES ? 'classification' : 'regression');
  if (task === 'regression') {
    return { tensor: { shape: [], dtype: 'float32', data: Float32Array.from(labels) }, task };
  }
  if (!integers) {
    const value = labels.find((label) => !Number.isInteger(label));
    throw new DataFileError(
      'invalid-option',
      `${fileName} label column '${labelColumn}' contains ${value}, which is not a whole number, so it cannot be a class. ` +
        'Choose regression, or round the labels to classes.',
      fileName,
    );
  }
  // Numeric classes map in ascending order, so labels 0 and 1 keep their values.
  return classIndices(labels.map(String), (a, b) => Number(a) - Number(b));
}

function classIndices(values: string[], compare: (a: string, b: string) => number) {
  const classNames = [...new Set(values)].sort(compare);
  const indexOf = new Map(classNames.map((name, index) => [name, index]));
  const data = Int32Array.from(values, (value) => indexOf.get(value)!);
  const tensor: ExampleTensor = { shape: [], dtype: 'int32', data };
  return { tensor, task: 'classification' as const, classNames };
}
