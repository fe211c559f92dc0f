/**
 * Reading of data files and built-in data sets into a `Dataset`. It runs in the data worker, so
 * that parsing a large file (about 0.4 s for an 18,453 × 200 `.npz`) happens off the main
 * thread, and directly in the page where there are no workers (the component tests). It keeps the last file of each
 * kind, so that the person can pick other `.npz` arrays, add `.npy` labels or change the CSV
 * options without reading the file again.
 */
import {
  datasetFromNpy,
  datasetFromNpz,
  DataFileError,
  describeSingleArrayNpz,
  fetchAsset,
  listBuiltinDatasets,
  loadBuiltinDataset,
  parseCsv,
  parseNpy,
  parseNpz,
  PENGUINS_FILE_NAME,
  PENGUINS_LABEL_COLUMN,
  readCsvColumns,
  requireExamples,
  summarizeArray,
  type ArraySummary,
  type BuiltinOptions,
  type Dataset,
  type NpyArray,
  type NpzArrayChoice,
} from '../../data';
import type { CsvChoices, CsvDetails } from '../../store/data-store';

/** A file as the page hands it over: its name and its bytes. */
export interface FileBytes {
  name: string;
  bytes: ArrayBuffer;
}

export type ParseOutcome =
  | { status: 'ready'; dataset: Dataset; sourceName: string; arrays: ArraySummary[]; csv?: CsvDetails }
  | { status: 'npz-choice'; fileName: string; message: string; arrays: ArraySummary[] }
  | { status: 'npy-labels'; fileName: string; message: string; array: ArraySummary }
  | { status: 'failed'; message: string; fileName?: string };

export interface DataParserApi {
  /** Reads one file (`.npz`, `.npy`, `.csv`), or two `.npy` files of features and labels. */
  readFiles(files: FileBytes[]): Promise<ParseOutcome>;
  /** Builds the data set from the chosen arrays of the last `.npz` file that needed a choice. */
  chooseNpzArrays(choice: NpzArrayChoice): Promise<ParseOutcome>;
  /** Pairs the last `.npy` file of features, or the array of a one-array `.npz`, with a `.npy` file of labels. */
  addNpyLabels(file: FileBytes): Promise<ParseOutcome>;
  /** Reads the last CSV file again with other options. */
  reparseCsv(choices: CsvChoices): Promise<ParseOutcome>;
  /** Loads a built-in data set; `assetBaseUrl` locates the files of MNIST and penguins. */
  loadBuiltin(id: string, options: BuiltinOptions): Promise<ParseOutcome>;
}

/** Names that mark an `.npy` file as the labels of a pair, e.g. `y.npy`, `labels_train.npy`. */
const LABEL_FILE_PATTERN = /^(y|labels?|targets?)([_.-]\w+)?\.npy$/i;

function extensionOf(name: string): string {
  const match = /\.([^.]+)$/.exec(name);
  return match ? match[1].toLowerCase() : '';
}

function failure(error: unknown, fileName?: string): ParseOutcome {
  if (error instanceof DataFileError) return { status: 'failed', message: error.message, fileName: error.fileName ?? fileName };
  const reason = error instanceof Error ? error.message : String(error);
  console.error(`Layerlab: reading ${fileName ?? 'the data'} failed`, error);
  return { status: 'failed', message: `Reading ${fileName ?? 'the data'} failed: ${reason}`, fileName };
}

interface KeptNpz {
  fileName: string;
  arrays: Map<string, NpyArray>;
}

interface KeptCsv {
  fileName: string;
  text: string;
  columns: string[];
  /** Id of the built-in data set the file belongs to, e.g. `penguins`. */
  builtin?: string;
}

interface KeptNpy {
  fileName: string;
  array: NpyArray;
}

/** The reader with a check the worker needs before it transfers buffers. */
export interface ParserWithState extends DataParserApi {
  /** Whether a kept array (for a later choice of arrays or labels) uses `buffer`. */
  keepsBuffer(buffer: ArrayBuffer): boolean;
}

/** Creates the reader. State lives in the returned object, one per worker. */
export function createParserApi(): ParserWithState {
  let keptNpz: KeptNpz | null = null;
  let keptCsv: KeptCsv | null = null;
  let keptNpy: KeptNpy | null = null;

  const readNpz = (file: FileBytes): ParseOutcome => {
    const arrays = parseNpz(new Uint8Array(file.bytes), { name: file.name });
    keptNpz = { fileName: file.name, arrays };
    if (arrays.size === 1) {
      // One array can only be the features; the labels can come from a .npy file, as for a single .npy.
      const [[arrayName, array]] = arrays;
      requireExamples(array, arrayName, file.name);
      keptNpy = { fileName: file.name, array };
      return {
        status: 'npy-labels',
        fileName: file.name,
        array: summarizeArray(arrayName, array),
        message: describeSingleArrayNpz(file.name, arrayName, array),
      };
    }
    const summaries = [...arrays].map(([name, array]) => summarizeArray(name, array));
    const result = datasetFromNpz(arrays, file.name);
    if (result.status === 'choice-needed') {
      return { status: 'npz-choice', fileName: file.name, message: result.message, arrays: result.arrays };
    }
    return { status: 'ready', dataset: result.dataset, sourceName: file.name, arrays: summaries };
  };

  const parseKeptCsv = (csv: KeptCsv, choices: CsvChoices): ParseOutcome => {
    const parsed = parseCsv(csv.text, { name: csv.fileName, ...choices });
    const builtin = csv.builtin ? listBuiltinDatasets().find((entry) => entry.id === csv.builtin) : undefined;
    const dataset: Dataset = builtin ? { ...parsed.dataset, name: builtin.name, source: { kind: 'builtin', id: builtin.id, options: { ...choices } } } : parsed.dataset;
    const report = parsed.report;
    return {
      status: 'ready',
      dataset,
      sourceName: builtin ? builtin.name : csv.fileName,
      arrays: [],
      csv: { columns: csv.columns, choices, report },
    };
  };

  const readCsv = (file: FileBytes): ParseOutcome => {
    const text = new TextDecoder().decode(file.bytes);
    const columns = readCsvColumns(text, { name: file.name });
    const csv: KeptCsv = { fileName: file.name, text, columns };
    // The last column is the usual place of the label; the person can pick another one.
    const outcome = parseKeptCsv(csv, { labelColumn: columns[columns.length - 1], missing: 'drop', standardize: false });
    keptCsv = csv;
    return outcome;
  };

  const readNpyFiles = (files: FileBytes[]): ParseOutcome => {
    const parsed = files.map((file) => ({ name: file.name, array: parseNpy(new Uint8Array(file.bytes), file.name) }));
    if (parsed.length === 1) {
      const [features] = parsed;
      requireExamples(features.array, features.name, features.name);
      keptNpy = { fileName: features.name, array: features.array };
      const summary = summarizeArray(features.name, features.array);
      return {
        status: 'npy-labels',
        fileName: features.name,
        array: summary,
        message: `${features.name} contains one array ${summary.description} and no labels. Choose the .npy file with its labels.`,
      };
    }
    const labelsIndex = parsed.findIndex((file) => LABEL_FILE_PATTERN.test(file.name));
    const [features, labels] = labelsIndex === 0 ? [parsed[1], parsed[0]] : [parsed[0], parsed[1]];
    const dataset = datasetFromNpy(features.array, features.name, labels.array, labels.name);
    return {
      status: 'ready',
      dataset,
      sourceName: `${features.name} + ${labels.name}`,
      arrays: [summarizeArray(features.name, features.array), summarizeArray(labels.name, labels.array)],
    };
  };

  return {
    keepsBuffer(buffer) {
      const kept = [...(keptNpz?.arrays.values() ?? []), ...(keptNpy ? [keptNpy.array] : [])];
      return kept.some((array) => array.data.buffer === buffer);
    },

    async readFiles(files) {
      const first = files[0];
      if (!first) return { status: 'failed', message: 'No file was chosen. Choose a .npz, .npy or .csv file.' };
      try {
        const extensions = new Set(files.map((file) => extensionOf(file.name)));
        if (files.length > 2 || (files.length === 2 && (extensions.size !== 1 || !extensions.has('npy')))) {
          const names = files.map((file) => file.name);
          return {
            status: 'failed',
            fileName: `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`,
            message: `${files.length} files were chosen together. Choose one .npz, .npy or .csv file, or two .npy files (features and labels).`,
          };
        }
        if (first.bytes.byteLength === 0) {
          return { status: 'failed', fileName: first.name, message: `${first.name} is empty (0 bytes). Choose a file that contains data.` };
        }
        switch (extensionOf(first.name)) {
          case 'npz':
            return readNpz(first);
          case 'npy':
            return readNpyFiles(files);
          case 'csv':
          case 'tsv':
          case 'txt':
            return readCsv(first);
          default:
            return {
              status: 'failed',
              fileName: first.name,
              message: `${first.name} is not a .npz, .npy or .csv file. Save the data with numpy.savez, numpy.save or as a CSV file with a header row.`,
            };
        }
      } catch (error) {
        return failure(error, first.name);
      }
    },

    async chooseNpzArrays(choice) {
      if (!keptNpz) return { status: 'failed', message: 'There is no .npz file to choose arrays from. Open the file again.' };
      try {
        const result = datasetFromNpz(keptNpz.arrays, keptNpz.fileName, choice);
        if (result.status !== 'ready') return { status: 'failed', fileName: keptNpz.fileName, message: result.message };
        const arrays = [...keptNpz.arrays].map(([name, array]) => summarizeArray(name, array));
        return { status: 'ready', dataset: result.dataset, sourceName: keptNpz.fileName, arrays };
      } catch (error) {
        return failure(error, keptNpz.fileName);
      }
    },

    async addNpyLabels(file) {
      if (!keptNpy) return { status: 'failed', message: 'There is no .npy file of features to add labels to. Open the features first.' };
      try {
        if (extensionOf(file.name) !== 'npy') {
          return { status: 'failed', fileName: file.name, message: `${file.name} is not a .npy file. Choose the labels saved with numpy.save.` };
        }
        const labels = parseNpy(new Uint8Array(file.bytes), file.name);
        const dataset = datasetFromNpy(keptNpy.array, keptNpy.fileName, labels, file.name);
        return {
          status: 'ready',
          dataset,
          sourceName: `${keptNpy.fileName} + ${file.name}`,
          arrays: [summarizeArray(keptNpy.fileName, keptNpy.array), summarizeArray(file.name, labels)],
        };
      } catch (error) {
        return failure(error, file.name);
      }
    },

    async reparseCsv(choices) {
      if (!keptCsv) return { status: 'failed', message: 'There is no CSV file to read again. Open the file again.' };
      try {
        return parseKeptCsv(keptCsv, choices);
      } catch (error) {
        return failure(error, keptCsv.fileName);
      }
    },

    async loadBuiltin(id, options) {
      try {
        if (id === 'penguins') {
          // Kept as a CSV file, so that the label column, missing values and scaling stay editable.
          const text = await (await fetchAsset(PENGUINS_FILE_NAME, options)).text();
          const csv: KeptCsv = { fileName: PENGUINS_FILE_NAME, text, columns: readCsvColumns(text, { name: PENGUINS_FILE_NAME }), builtin: 'penguins' };
          const outcome = parseKeptCsv(csv, { labelColumn: PENGUINS_LABEL_COLUMN, missing: 'drop', standardize: true });
          keptCsv = csv;
          return outcome;
        }
        const dataset = await loadBuiltinDataset(id, options);
        return { status: 'ready', dataset, sourceName: dataset.name, arrays: [] };
      } catch (error) {
        return failure(error, id);
      }
    },
  };
}

/** Returns the buffers of a data set's arrays, for transferring them instead of copying. */
export function datasetBuffers(dataset: Dataset): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const tensor of [dataset.features, dataset.labels]) {
    const buffer = tensor.data.buffer as ArrayBuffer;
    // Only a whole buffer can be transferred without taking other data along.
    if (tensor.data.byteOffset === 0 && tensor.data.byteLength === buffer.byteLength) buffers.add(buffer);
  }
  return [...buffers];
}
