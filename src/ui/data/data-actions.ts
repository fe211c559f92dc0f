/**
 * Actions of the data panel: read files and built-in sets through the data reader, and put the
 * outcome into the data store. Only the newest request counts: a slow read that a later one
 * overtook is dropped.
 */
import type { BuiltinOptions, NpzArrayChoice } from '../../data';
import {
  describeLoadedData,
  setDataBusy,
  setDataError,
  setLoadedData,
  setPendingChoice,
  type CsvChoices,
} from '../../store/data-store';
import { dataParser } from './parser-client';
import type { FileBytes, ParseOutcome } from './parser-api';

/**
 * The data set a first start loads, so that the default solubility model trains at once: 500
 * sequences labelled by whether amino acid 5 occurs. A one-token motif is learnt in a few epochs,
 * so the curves show learning, not only noise. Ten epochs took 46 s on the webgl backend of
 * headless Chromium (SwiftShader, 2 shared cores, no GPU).
 * NOTE: on the pure cpu backend the same run takes about 6 minutes (12 examples/s in Node on the
 * same machine). Three quarters of that is the Conv2DBackpropFilter kernel behind the Conv1D
 * weight gradient (tf.profile), so the panel shows the estimate before such a run.
 */
export const DEFAULT_DATASET = { id: 'proteins', name: 'Synthetic proteins', options: { count: 500, seed: 1, motif: [5] } };

let latestRequest = 0;

/**
 * Runs one request of the reader and applies its outcome. `replacesPending` marks a new file or
 * built-in set: it replaces a pending choice even when it fails, so that the panel never shows an
 * error next to a prompt about an older file.
 */
async function run(busy: string, request: () => Promise<ParseOutcome>, replacesPending = false): Promise<ParseOutcome | null> {
  const id = ++latestRequest;
  setDataBusy(busy);
  let outcome: ParseOutcome;
  try {
    outcome = await request();
  } catch (error) {
    // The reader returns failures as values, so this is a broken worker, not a bad file.
    console.error('Layerlab: the data reader failed', error);
    outcome = { status: 'failed', message: `The data reader failed: ${error instanceof Error ? error.message : String(error)}. Reload the page and try again.` };
  }
  if (id !== latestRequest) return null;
  apply(outcome, replacesPending);
  return outcome;
}

function apply(outcome: ParseOutcome, replacesPending: boolean): void {
  switch (outcome.status) {
    case 'ready':
      setLoadedData(describeLoadedData(outcome.dataset, outcome.sourceName, outcome.arrays, outcome.csv));
      return;
    case 'npz-choice':
      setPendingChoice({ kind: 'npz', fileName: outcome.fileName, message: outcome.message, arrays: outcome.arrays });
      return;
    case 'npy-labels':
      setPendingChoice({ kind: 'npy', fileName: outcome.fileName, message: outcome.message, array: outcome.array });
      return;
    case 'failed':
      setDataError({ message: outcome.message, ...(outcome.fileName ? { fileName: outcome.fileName } : {}) }, replacesPending);
  }
}

async function bytesOf(file: File): Promise<FileBytes> {
  return { name: file.name, bytes: await file.arrayBuffer() };
}

/** Reads files chosen in the file input or dropped on the panel. */
export async function openDataFiles(files: readonly File[]): Promise<ParseOutcome | null> {
  const names = files.map((file) => file.name).join(' and ');
  return run(`Reading ${names}…`, async () => dataParser().readFiles(await Promise.all(files.map(bytesOf))), true);
}

export function chooseNpzArrays(choice: NpzArrayChoice): Promise<ParseOutcome | null> {
  return run(`Building the data set from ${choice.features} and ${choice.labels}…`, () => dataParser().chooseNpzArrays(choice));
}

export async function addNpyLabels(file: File): Promise<ParseOutcome | null> {
  return run(`Reading ${file.name}…`, async () => dataParser().addNpyLabels(await bytesOf(file)));
}

export function changeCsvChoices(choices: CsvChoices): Promise<ParseOutcome | null> {
  return run('Reading the CSV file again…', () => dataParser().reparseCsv(choices));
}

/** Loads a built-in set. MNIST and penguins are files of the site, resolved against the page's address. */
export function loadBuiltinData(id: string, name: string, options: BuiltinOptions = {}): Promise<ParseOutcome | null> {
  const assetBaseUrl = globalThis.document?.baseURI;
  return run(`Loading ${name}…`, () => dataParser().loadBuiltin(id, { ...options, ...(assetBaseUrl ? { assetBaseUrl } : {}) }), true);
}

export function loadDefaultData(): Promise<ParseOutcome | null> {
  return loadBuiltinData(DEFAULT_DATASET.id, DEFAULT_DATASET.name, { ...DEFAULT_DATASET.options });
}
