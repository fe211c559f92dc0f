/**
 * Opening files: a Layerlab project, a Keras or TensorFlow.js model JSON that the importer turns
 * into a graph, or a TensorFlow.js model.json picked together with its .bin weight files. The
 * result is a validated graph with positions (and the weights, for a model with weight files),
 * or a message that names what is wrong. This module only returns results, so the caller's graph
 * stays as it is on failure.
 */
import type { NamedWeights } from '../compile/import-weights';
import type { Graph } from '../graph/types';
import { gridLayout, hasPositions, layoutGraph } from './layout';
import { MAX_PROJECT_CHARS, parseProjectValue, PROJECT_FORMAT } from './schema';
import type { DataSection, TrainingSection } from './sections';

export type OpenResult =
  | {
      ok: true;
      graph: Graph;
      name: string;
      /** `tfjs`: a model.json opened with its weight files; `keras`: a model topology alone. */
      source: 'project' | 'keras' | 'tfjs';
      notices: string[];
      /** The imported weight values by TensorFlow.js name; only for `tfjs`. */
      weights?: NamedWeights;
      /** A project's data and training sections, when it has them. */
      data?: DataSection;
      training?: TrainingSection;
    }
  | { ok: false; message: string };

/** The parts of a browser `File` that opening uses, so tests can pass plain objects. */
export interface PickedFile {
  name: string;
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** Derives the project name from a file name: `solubility.layerlab.json` → `solubility`. */
export function projectNameFromFile(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, '').replace(/(\.layerlab|\.keras)?\.json$/i, '');
  return base || 'model';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function looksLikeProject(value: Record<string, unknown>): boolean {
  return value.format === PROJECT_FORMAT || (Array.isArray(value.nodes) && Array.isArray(value.edges));
}

function looksLikeKerasModel(value: unknown): boolean {
  if (!isRecord(value)) return false;
  return 'class_name' in value || 'modelTopology' in value || 'model_config' in value || 'keras_version' in value || 'config' in value;
}

/** Lists the weight files a tfjs model.json's manifest names, or none when it has no manifest. */
function manifestPaths(value: unknown): string[] {
  if (!isRecord(value) || !Array.isArray(value.weightsManifest)) return [];
  return value.weightsManifest.flatMap((group: unknown) =>
    isRecord(group) && Array.isArray(group.paths) ? group.paths.filter((path): path is string => typeof path === 'string') : [],
  );
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

function describeErrors(errors: readonly string[]): string {
  const shown = errors.slice(0, 3).join('; ');
  const more = errors.length > 3 ? ` (and ${errors.length - 3} more)` : '';
  return `${shown}${more}`;
}

type ParsedFile = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * Parses the JSON text of an opened file. A file whose whole content is a JSON string (a model
 * or project saved with `json.dumps` twice) is parsed once more, so that the checks below see
 * the object inside, as the importer does.
 */
function parseOpenedText(text: string, fileName: string): ParsedFile {
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
  if (typeof value !== 'string') return { ok: true, value };

  try {
    return { ok: true, value: JSON.parse(value) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, message: `${fileName} contains a JSON string, but that string is not valid JSON itself (${reason}); open a .layerlab.json project or a Keras model JSON` };
  }
}

async function openProject(value: Record<string, unknown>, fileName: string): Promise<OpenResult> {
  const result = parseProjectValue(value, { checkLayers: true });
  if (!result.ok) return { ok: false, message: `${fileName}: ${result.message}` };
  const { project } = result;
  const graph = hasPositions(project.graph) ? project.graph : await placeNodes(project.graph);
  const notices = result.migratedFrom === undefined ? [] : [`${fileName} was a version ${result.migratedFrom} project and has been updated to the current format; save it to keep the new format`];
  return {
    ok: true,
    graph,
    name: projectNameFromFile(fileName),
    source: 'project',
    notices,
    ...(project.data ? { data: project.data } : {}),
    ...(project.training ? { training: project.training } : {}),
  };
}

/** Reads the text of a file named `fileName` as a project or a Keras/tfjs model. */
export async function openModelText(text: string, fileName: string): Promise<OpenResult> {
  const parsed = parseOpenedText(text, fileName);
  if (!parsed.ok) return parsed;
  const { value } = parsed;

  if (isRecord(value) && looksLikeProject(value)) return openProject(value, fileName);

  if (looksLikeKerasModel(value)) {
    const { importModelJson } = await import('../compile/keras-import');
    const result = importModelJson(text);
    if (!result.ok) return { ok: false, message: `${fileName} could not be imported as a Keras model: ${describeErrors(result.errors)}` };

    const notices = [...result.warnings];
    const paths = manifestPaths(value);
    if (paths.length > 0) {
      notices.push(
        `${fileName} stores its weights in ${paths.join(', ')}, which ${paths.length === 1 ? 'was' : 'were'} not selected, so the layers start from fresh initial values; to import the weights, open ${fileName} again and select it together with ${paths.length === 1 ? 'that file' : 'those files'}`,
      );
    }
    return { ok: true, graph: await placeNodes(result.graph), name: projectNameFromFile(fileName), source: 'keras', notices };
  }

  return {
    ok: false,
    message: `${fileName} is neither a Layerlab project (format "${PROJECT_FORMAT}") nor a Keras or TensorFlow.js model (class_name or modelTopology at the top level)`,
  };
}

function isJsonFile(file: PickedFile): boolean {
  return /\.json$/i.test(file.name);
}

function listNames(files: readonly PickedFile[]): string {
  return files.map((file) => file.name).join(', ');
}

async function readText(file: PickedFile): Promise<{ ok: true; text: string } | { ok: false; message: string }> {
  try {
    return { ok: true, text: await file.text() };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, message: `${file.name} could not be read (${reason}); try opening it again` };
  }
}

/**
 * Opens the files picked together in the file input. One JSON file opens as `openModelText`
 * does. A model.json with .bin files imports the model with the weights its manifest lists.
 * Each file the manifest names must be among them, and exactly as long as its weights need.
 */
export async function openModelFiles(files: readonly PickedFile[]): Promise<OpenResult> {
  if (files.length === 0) return { ok: false, message: 'No file was selected; select a .layerlab.json project, a Keras model JSON, or a model.json with its .bin files' };

  // A single file that is not weights is read as JSON whatever its name, so that a wrong file
  // gets the message of what is wrong with its content.
  const single = files.length === 1 && !files[0].name.toLowerCase().endsWith('.bin');
  const jsonFiles = single ? [...files] : files.filter(isJsonFile);
  const weightFiles = single ? [] : files.filter((file) => !isJsonFile(file));
  if (jsonFiles.length === 0) {
    return { ok: false, message: `None of the selected files (${listNames(files)}) is a JSON file; select the model.json together with its .bin weight files` };
  }
  if (jsonFiles.length > 1) {
    return { ok: false, message: `${jsonFiles.length} JSON files were selected (${listNames(jsonFiles)}); open one project or model.json at a time, with the .bin weight files of that model` };
  }

  const modelFile = jsonFiles[0];
  const read = await readText(modelFile);
  if (!read.ok) return read;
  if (weightFiles.length === 0) return openModelText(read.text, modelFile.name);
  return openModelWithWeights(read.text, modelFile.name, weightFiles);
}

async function openModelWithWeights(text: string, fileName: string, weightFiles: readonly PickedFile[]): Promise<OpenResult> {
  const parsed = parseOpenedText(text, fileName);
  if (!parsed.ok) return parsed;
  const given = listNames(weightFiles);
  if (isRecord(parsed.value) && looksLikeProject(parsed.value)) {
    return { ok: false, message: `${fileName} is a Layerlab project, which has no weight files, so ${given} cannot go with it; open the project alone, or select a TensorFlow.js model.json with its .bin files` };
  }
  const paths = manifestPaths(parsed.value);
  if (paths.length === 0) {
    return { ok: false, message: `${fileName} has no weights manifest, so it does not use ${given}; open ${fileName} alone, or select the model.json that was saved with ${given}` };
  }

  const bytes = new Map<string, Uint8Array>();
  for (const file of weightFiles) {
    try {
      bytes.set(file.name, new Uint8Array(await file.arrayBuffer()));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return { ok: false, message: `${file.name} could not be read (${reason}); try opening it again` };
    }
  }

  const { importTfjsModel } = await import('../compile/import-weights');
  const result = importTfjsModel(text, bytes);
  if (!result.ok) return { ok: false, message: `${fileName} could not be imported with its weights: ${describeErrors(result.errors)}` };

  const listed = new Set(paths.map((path) => path.replace(/^.*[\\/]/, '')));
  const unused = weightFiles.filter((file) => !listed.has(file.name)).map((file) => file.name);
  const notices = [...result.warnings];
  if (unused.length > 0) notices.push(`${unused.join(', ')} ${unused.length === 1 ? 'is' : 'are'} not listed in the weights manifest of ${fileName} and ${unused.length === 1 ? 'was' : 'were'} not used`);

  return { ok: true, graph: await placeNodes(result.graph), name: projectNameFromFile(fileName), source: 'tfjs', notices, weights: result.weights };
}
