/**
 * The settings of the Python script export, taken from the data and training panels: the script
 * trains with the same loss, optimizer, epochs, batch size, split and early stopping as the app,
 * on the file the app read.
 */
import type { PythonDataOptions, PythonExportOptions } from '../../compile/export-python';
import type { DatasetSource } from '../../data/dataset';
import type { Inference } from '../../graph/infer';
import type { Graph } from '../../graph/types';
import { resolveSplit, useDataStore, type LoadedData } from '../../store/data-store';
import { resolveTrainingConfig, useTrainingStore } from '../../store/training-store';

export type PythonSettings = { ok: true; options: Omit<PythonExportOptions, 'modelName'>; notices: string[] } | { ok: false; message: string };

function rootSource(source: DatasetSource): Exclude<DatasetSource, { kind: 'slice' }> {
  let current = source;
  while (current.kind === 'slice') current = current.of;
  return current;
}

/** Returns the data file options of the loaded data set, or a notice when the script cannot read its source. */
function dataOptions(loaded: LoadedData): { data?: PythonDataOptions; notice?: string } {
  const source = rootSource(loaded.dataset.source);
  const task = loaded.dataset.task;
  switch (source.kind) {
    case 'npz': {
      const data: PythonDataOptions = { fileName: source.fileName, format: 'npz', task };
      if (source.convention === 'explicit' && source.features && source.labels) {
        data.features = source.features;
        data.labels = source.labels;
      }
      return { data };
    }
    case 'csv': {
      const data: PythonDataOptions = { fileName: source.fileName, format: 'csv', labelColumn: source.labelColumn, task };
      if (loaded.csv) {
        data.labelColumn = loaded.csv.choices.labelColumn;
        const { missing, standardize, ignoreColumns, textColumns, decimalComma } = loaded.csv.choices;
        data.missing = missing;
        data.standardize = standardize;
        if (ignoreColumns?.length) data.ignoreColumns = [...ignoreColumns];
        if (textColumns?.length) data.textColumns = [...textColumns];
        if (decimalComma) data.decimalComma = true;
      }
      if (loaded.dataset.classNames) data.classNames = loaded.dataset.classNames;
      return { data };
    }
    case 'npy': {
      const notice = `The script reads data.npz, because it cannot read ${source.fileName} and ${source.labelsFileName} as a pair; save them as arrays x and y of data.npz (numpy.savez).`;
      return { data: { fileName: 'data.npz', format: 'npz', task, note: notice }, notice };
    }
    case 'builtin': {
      const notice = `The script reads data.npz, because ${loaded.sourceName} is built into Layerlab; save the examples as arrays x and y of data.npz (numpy.savez).`;
      return { data: { fileName: 'data.npz', format: 'npz', task, note: notice }, notice };
    }
  }
}

/**
 * Collects the script's training and data settings from the panels. Settings that the panels
 * show as invalid are returned as a message, since the script would carry them.
 */
export function pythonSettings(graph: Graph, inference: Inference): PythonSettings {
  const { loaded, splitDraft } = useDataStore.getState();
  const split = resolveSplit(splitDraft, loaded?.dataset.count);
  if (!split.ok) {
    return { ok: false, message: `The split settings are invalid: ${Object.values(split.errors).join(' ')} Fix them in the data panel and export again.` };
  }

  const { draft } = useTrainingStore.getState();
  const resolution = resolveTrainingConfig(draft, split.split, graph, inference, loaded?.shapes.labels);
  if (!resolution.ok) {
    return { ok: false, message: `The training settings are invalid: ${resolution.messages.join(' ')} Fix them in the training panel and export again.` };
  }

  const notices: string[] = [];
  const options: Omit<PythonExportOptions, 'modelName'> = { training: resolution.config };
  if (loaded) {
    const { data, notice } = dataOptions(loaded);
    if (data) options.data = data;
    if (notice) notices.push(notice);
  }
  return { ok: true, options, notices };
}
