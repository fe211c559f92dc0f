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
}

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
  const { header, rows } = parseTable(text, fileName, options.delimiter);

  const labelColumn = options.labelColumn ?? header[header.length - 1];
  const labelIndex = header.indexOf(labelColumn);
  if (labelIndex < 0) throw unknownColumn(fileName, labelColumn, header, 'label column');
  const ignored = options.ignoreColumns ?? [];
  for (const column of ignored) {
    if (!header.includes(column)) throw unknownColumn(fileName, column, header, 'column to ignore');
  }
  const featureIndices = header.map((_, index) => index).filter((index) => index !== labelIndex && !ignored.includes(header[index]));
  if (featureIndices.length === 0) {
    throw new DataFileError(
      'invalid-csv',
      `${fileName} has no feature columns besides the label column '${labelColumn}'. Add feature columns or ignore fewer columns.`,
      fileName,
    );
  }

  // Rows without a label teach nothing, so they are removed whatever the missing-value strategy.
  const labelled = rows.filter((row) => !isMissing(row[labelIndex]));
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
  return { header, rows: dataRows };
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
  if (counts.size > MAX_ONE_HOT_CATEGORIES) {
    throw new DataFileError(
      'invalid-csv',
      `${fileName} column '${name}' has ${counts.size} distinct text values, more than the ${MAX_ONE_HOT_CATEGORIES} ` +
        'that one-hot encoding accepts. Leave it out with the ignoreColumns option, or encode it as numbers.',
      fileName,
    );
  }
  const categories = [...counts.keys()].sort();
  // Ties go to the category that sorts first, so the fill value does not depend on row order.
  const mostFrequent = categories.reduce((best, category) => (counts.get(category)! > counts.get(best)! ? category : best));
  return { kind: 'categorical', name, missingCount, categories, mostFrequent };
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
