/**
 * Palmer penguins as a built-in data set: 344 penguins of three species (Adelie, Chinstrap,
 * Gentoo) from the Palmer Station Antarctica LTER, licensed CC0 1.0. The build writes
 * `datasets/penguins.csv` from `penguins.json` of the npm package `vega-datasets`, with `NA`
 * for missing values, and this module reads it through `parseCsv`.
 */

import { fetchAsset, type AssetOptions } from './assets';
import { parseCsv, type CsvReport } from './csv';
import type { Dataset } from './dataset';
import { DataFileError } from './errors';

export const PENGUINS_FILE_NAME = 'penguins.csv';

/** The label column; the other columns are features: Island and Sex one-hot, the four measurements standardised. */
export const PENGUINS_LABEL_COLUMN = 'Species';

/** Columns of the CSV file, in order, as `vega-datasets` 3.2.1 names them. */
export const PENGUINS_COLUMNS: readonly string[] = [
  'Species',
  'Island',
  'Beak Length (mm)',
  'Beak Depth (mm)',
  'Flipper Length (mm)',
  'Body Mass (g)',
  'Sex',
];

export interface PenguinOptions extends AssetOptions {
  /**
   * Handling of the 11 penguins with a missing measurement or sex: remove them ('drop', the
   * default, leaving 333) or fill each missing cell with its column's mean or most frequent value ('fill').
   */
  missing?: 'drop' | 'fill';
}

/**
 * Parses the penguins CSV into a data set with standardised measurements, one-hot Island and Sex,
 * and the species as class labels. The report counts the missing cells and the rows dropped or cells filled.
 */
export function parsePenguinsCsv(text: string, missing: 'drop' | 'fill' = 'drop'): { dataset: Dataset; report: CsvReport } {
  if (missing !== 'drop' && missing !== 'fill') {
    throw new DataFileError('invalid-option', `The missing-value handling is '${String(missing)}'; it must be 'drop' or 'fill'.`);
  }

  const { dataset, report } = parseCsv(text, {
    name: PENGUINS_FILE_NAME,
    labelColumn: PENGUINS_LABEL_COLUMN,
    missing,
    standardize: true,
    task: 'classification',
    delimiter: ',',
  });
  return {
    dataset: { ...dataset, name: 'Palmer penguins', source: { kind: 'builtin', id: 'penguins', options: { missing } } },
    report,
  };
}

/** Fetches `datasets/penguins.csv` from the site and parses it, returning the report with the data set. */
export async function loadPenguinsWithReport(options: PenguinOptions = {}): Promise<{ dataset: Dataset; report: CsvReport }> {
  const response = await fetchAsset(PENGUINS_FILE_NAME, options);
  return parsePenguinsCsv(await response.text(), options.missing);
}

/** Fetches `datasets/penguins.csv` from the site and parses it; see `parsePenguinsCsv`. */
export async function loadPenguins(options: PenguinOptions = {}): Promise<Dataset> {
  return (await loadPenguinsWithReport(options)).dataset;
}
