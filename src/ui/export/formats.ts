/**
 * The export formats of the Export menu and how each is built from the current graph. Keras JSON,
 * the TensorFlow.js model and the Python script need a graph without errors. The SVG and PNG
 * pictures and the summary draw errors as they are, so they work on a broken graph too.
 */
import { exportPythonScript } from '../../compile/export-python';
import { graphToSvg } from '../../compile/export-picture';
import { graphToKerasModel } from '../../compile/keras-export';
import { inferGraph, type Inference } from '../../graph/infer';
import { formatSummary, summarizeGraph } from '../../graph/summary';
import type { Graph } from '../../graph/types';
import { formatCount } from '../../layers';
import { importedWeightsFor, useWeightsStore } from '../../store/weights-store';
import { exportFile, type ExportFile } from './download';
import { svgToPng } from './png';
import { pythonSettings } from './python-options';

export type ExportFormat = 'keras-json' | 'tfjs' | 'python' | 'svg' | 'png' | 'summary';

export interface FormatInfo {
  format: ExportFormat;
  title: string;
  description: string;
  /** Whether the graph must be free of errors. */
  needsValidGraph: boolean;
}

/**
 * The TensorFlow.js model downloads as two files named as tfjs's own `model.save('downloads://NAME')`
 * names them, NAME.json and NAME.weights.bin. Both load as they are, with
 * `tf.loadLayersModel('NAME.json')` from a folder on a server or with `tf.io.browserFiles` from a
 * file input, while a zip would have to be unpacked first.
 */
export const FORMATS: readonly FormatInfo[] = [
  { format: 'keras-json', title: 'Keras model JSON', description: 'The model config for tf.keras.models.model_from_json; no weights.', needsValidGraph: true },
  { format: 'tfjs', title: 'TensorFlow.js model', description: 'NAME.json and NAME.weights.bin, as model.save("downloads://NAME") writes them.', needsValidGraph: true },
  { format: 'python', title: 'Python training script', description: 'Rebuilds the model in tf.keras and trains it with the panel’s settings.', needsValidGraph: true },
  { format: 'svg', title: 'SVG picture', description: 'The graph with shapes and parameter counts, for reports.', needsValidGraph: false },
  { format: 'png', title: 'PNG picture', description: 'The same picture as an image at twice the screen size.', needsValidGraph: false },
  { format: 'summary', title: 'Summary as text', description: 'The table Keras model.summary() prints, as a .txt file.', needsValidGraph: false },
];

/** `message` is a short confirmation; `notice` is something the person should read and act on. */
export type ExportOutcome = { ok: true; files: ExportFile[]; message: string; notice?: string } | { ok: false; message: string };

/** Maximum number of graph errors a rejection lists; the canvas shows all of them. */
const MAX_LISTED_ERRORS = 5;

export function formatInfo(format: ExportFormat): FormatInfo {
  return FORMATS.find((info) => info.format === format)!;
}

function graphErrorMessage(info: FormatInfo, inference: Inference): string | null {
  const { errors } = inference;
  if (errors.length === 0) return null;
  const listed = errors.slice(0, MAX_LISTED_ERRORS).map((error, i) => `${i + 1}. ${error.message}`);
  const more = errors.length > MAX_LISTED_ERRORS ? ` (and ${errors.length - MAX_LISTED_ERRORS} more)` : '';
  const noun = errors.length === 1 ? 'error' : 'errors';
  return `The model cannot be exported as ${info.title} because it has ${errors.length} ${noun}: ${listed.join(' ')}${more} Fix ${errors.length === 1 ? 'it' : 'them'} on the canvas and export again.`;
}

function summaryText(graph: Graph, inference: Inference, name: string): string {
  return formatSummary(summarizeGraph(graph, inference, { name }));
}

async function exportTfjs(graph: Graph, name: string): Promise<ExportOutcome> {
  const { exportTfjsModel, modelJsonText } = await import('../../compile/export-tfjs');
  const weightsFileName = `${name}.weights.bin`;
  const imported = importedWeightsFor(graph);
  const stale = !imported && useWeightsStore.getState().imported;

  // The weights of the last run when it trained these layers, else imported ones, else fresh.
  const { trainedWeightsFor } = await import('../training/controller');
  const trained = await trainedWeightsFor(graph);
  let result = await exportTfjsModel(graph, { modelName: name, weightsFileName, weights: trained ?? imported?.weights });
  let weightsNote = 'fresh initial weights';
  if (trained) weightsNote = 'the trained weights';
  else if (imported) weightsNote = `the weights imported with ${imported.sourceName}`;
  let notice: string | undefined;
  if (!result.ok && (trained || imported)) {
    const source = trained ? 'trained weights' : `weights imported with ${imported!.sourceName}`;
    console.warn(`Layerlab: the ${source} do not fit the model; exported fresh initial weights`, result.errors);
    notice = `The ${source} were not exported because they do not fit the model (${result.errors[0]}), so ${name}.weights.bin has fresh initial weights.`;
    result = await exportTfjsModel(graph, { modelName: name, weightsFileName });
    weightsNote = 'fresh initial weights';
  } else if (stale) {
    notice = `The weights imported with ${stale.sourceName} were not exported because the layers changed since the import, so ${weightsFileName} has fresh initial weights; undo the changes to export the imported weights.`;
  }
  if (!result.ok) return { ok: false, message: `The TensorFlow.js model could not be exported: ${result.errors.join('; ')}` };

  const files = [exportFile(`${name}.json`, modelJsonText(result.files), 'application/json'), exportFile(weightsFileName, result.files.weightData, 'application/octet-stream')];
  const count = formatCount(result.files.weightData.length / 4);
  const message = `Exported ${name}.json and ${weightsFileName}: ${count} parameters, ${weightsNote}.`;
  return notice ? { ok: true, files, message, notice } : { ok: true, files, message };
}

function exportPython(graph: Graph, inference: Inference, name: string): ExportOutcome {
  const settings = pythonSettings(graph, inference);
  if (!settings.ok) return settings;
  const result = exportPythonScript(graph, { ...settings.options, modelName: name });
  if (!result.ok) return { ok: false, message: `The Python script could not be written: ${result.errors.join('; ')}` };
  const files = [exportFile(`${name}.py`, result.script, 'text/x-python')];
  const message = `Exported ${name}.py.`;
  return settings.notices.length > 0 ? { ok: true, files, message, notice: settings.notices.join(' ') } : { ok: true, files, message };
}

/**
 * Builds the files of one format for `graph`, saved under the base name `name`. Returns a
 * message instead where the graph is empty or has errors that the format cannot carry.
 */
export async function buildExport(format: ExportFormat, graph: Graph, name: string): Promise<ExportOutcome> {
  const info = formatInfo(format);
  if (graph.nodes.length === 0) {
    return { ok: false, message: `The model is empty, so there is nothing to export as ${info.title}; open a template or drag layers onto the canvas.` };
  }
  const inference = inferGraph(graph);
  if (info.needsValidGraph) {
    const rejection = graphErrorMessage(info, inference);
    if (rejection) return { ok: false, message: rejection };
  }

  switch (format) {
    case 'keras-json': {
      const text = `${JSON.stringify(graphToKerasModel(graph, name), null, 2)}\n`;
      return { ok: true, files: [exportFile(`${name}.keras.json`, text, 'application/json')], message: `Exported ${name}.keras.json.` };
    }
    case 'tfjs':
      return exportTfjs(graph, name);
    case 'python':
      return exportPython(graph, inference, name);
    case 'svg':
      return { ok: true, files: [exportFile(`${name}.svg`, graphToSvg(graph, { inference, title: name }), 'image/svg+xml')], message: `Exported ${name}.svg.` };
    case 'png': {
      try {
        const blob = await svgToPng(graphToSvg(graph, { inference, title: name }));
        return { ok: true, files: [{ name: `${name}.png`, blob }], message: `Exported ${name}.png.` };
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        return { ok: false, message: `The PNG picture could not be made: ${reason}. Export the SVG picture instead.` };
      }
    }
    case 'summary':
      return { ok: true, files: [exportFile(`${name}-summary.txt`, summaryText(graph, inference, name), 'text/plain')], message: `Exported ${name}-summary.txt.` };
  }
}

/** Formats the Keras-style summary of `graph` as text, errors included. */
export function graphSummaryText(graph: Graph, name: string): string {
  return summaryText(graph, inferGraph(graph), name);
}
