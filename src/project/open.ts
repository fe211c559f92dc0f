/**
 * Opening a file: a Layerlab project, or a Keras or TensorFlow.js model JSON that the importer
 * turns into a graph. Either way the result is a validated graph with positions, or a message
 * that names what is wrong. This module only returns results, so the caller's graph stays as
 * it is on failure.
 */
import type { Graph } from '../graph/types';
import { gridLayout, hasPositions, layoutGraph } from './layout';
import { MAX_PROJECT_CHARS, parseProjectValue, PROJECT_FORMAT } from './schema';

export type OpenResult =
  | { ok: true; graph: Graph; name: string; source: 'project' | 'keras'; notices: string[] }
  | { ok: false; message: string };

/** Derives the project name from a file name: `solubility.layerlab.json` → `solubility`. */
export function projectNameFromFile(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, '').replace(/(\.layerlab)?\.json$/i, '');
  return base || 'model';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function looksLikeProject(value: Record<string, unknown>): boolean {
  return value.format === PROJECT_FORMAT || (Array.isArray(value.nodes) && Array.isArray(value.edges));
}

function looksLikeKerasModel(value: unknown): boolean {
  if (typeof value === 'string') return true;
  if (!isRecord(value)) return false;
  return 'class_name' in value || 'modelTopology' in value || 'model_config' in value || 'keras_version' in value || 'config' in value;
}

/** Lays out a graph with elkjs, or with the grid layout where elkjs fails to load. */
async function placeNodes(graph: Graph): Promise<Graph> {
  try {
    return await layoutGraph(graph);
  } catch (error) {
    console.warn('Layerlab: elkjs layout failed, used the grid layout instead', error);
    return gridLayout(graph);
  }
}

/** Reads the text of a file named `fileName` as a project or a Keras/tfjs model. */
export async function openModelText(text: string, fileName: string): Promise<OpenResult> {
  const name = projectNameFromFile(fileName);
  if (text.length > MAX_PROJECT_CHARS) {
    return { ok: false, message: `${fileName} has ${text.length.toLocaleString('en-US')} characters, more than the ${MAX_PROJECT_CHARS.toLocaleString('en-US')} Layerlab opens; check that it is a model topology, not weights` };
  }

  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, message: `${fileName} is not valid JSON (${reason}); open a .layerlab.json project or a Keras model JSON` };
  }

  if (isRecord(value) && looksLikeProject(value)) {
    const result = parseProjectValue(value);
    if (!result.ok) return { ok: false, message: `${fileName}: ${result.message}` };
    const graph = hasPositions(result.project.graph) ? result.project.graph : await placeNodes(result.project.graph);
    const notices = result.migratedFrom === undefined ? [] : [`${fileName} was a version ${result.migratedFrom} project and has been updated to the current format; save it to keep the new format`];
    return { ok: true, graph, name, source: 'project', notices };
  }

  if (looksLikeKerasModel(value)) {
    const { importModelJson } = await import('../compile/keras-import');
    const result = importModelJson(text);
    if (!result.ok) {
      const shown = result.errors.slice(0, 3).join('; ');
      const more = result.errors.length > 3 ? ` (and ${result.errors.length - 3} more)` : '';
      return { ok: false, message: `${fileName} could not be imported as a Keras model: ${shown}${more}` };
    }
    return { ok: true, graph: await placeNodes(result.graph), name, source: 'keras', notices: result.warnings };
  }

  return {
    ok: false,
    message: `${fileName} is neither a Layerlab project (format "${PROJECT_FORMAT}") nor a Keras or TensorFlow.js model (class_name or modelTopology at the top level)`,
  };
}
