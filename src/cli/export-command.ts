/**
 * `export FILE --to keras-json|tfjs|python|svg OUT`: writes the model of a project file or a
 * Keras / TensorFlow.js model JSON in another format. A graph with errors is not exported.
 * tfjs loads only for `--to tfjs`, so the other formats start fast.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { exportPythonScript, type PythonDataOptions } from '../compile/export-python';
import { graphToSvg } from '../compile/export-picture';
import { isObject, own, parseJsonText } from '../compile/import-json';
import { graphToKerasModel, type JsonObject, type JsonValue } from '../compile/keras-export';
import { hasWeightsManifest, importTfjsModel, weightFilePaths, type NamedWeights } from '../compile/import-weights';
import { validateTrainingConfig, defaultTrainingConfig, type TrainingConfigOverrides } from '../compile/training-config';
import { inferGraph } from '../graph/infer';
import type { Graph } from '../graph/types';
import { EXIT_ERRORS, EXIT_OK, EXIT_UNREADABLE, type CliIo, type Command } from './command';
import { loadGraphFile } from './load';

export const EXPORT_FORMATS = ['keras-json', 'tfjs', 'python', 'svg'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const USAGE = `export FILE --to ${EXPORT_FORMATS.join('|')} OUT`;

interface ExportRequest {
  file: string;
  format: ExportFormat;
  out: string;
}

type Outcome = { ok: true; written: string[] } | { ok: false; status: number; errors: string[] };

function isFormat(value: string | undefined): value is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(value ?? '');
}

/**
 * Reads `FILE --to FORMAT OUT` from raw arguments (after the command name), in any order, with
 * `--to FORMAT` or `--to=FORMAT`.
 */
export function parseExportArguments(args: readonly string[]): { ok: true; request: ExportRequest } | { ok: false; message: string } {
  const positionals: string[] = [];
  let format: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--to') {
      format = args[i + 1];
      i += 1;
    } else if (arg.startsWith('--to=')) {
      format = arg.slice('--to='.length);
    } else if (arg.startsWith('-') && arg !== '-') {
      return { ok: false, message: `Unknown option '${arg}' for export; usage: ${USAGE}` };
    } else {
      positionals.push(arg);
    }
  }
  return checkRequest(positionals, format);
}

function checkRequest(positionals: string[], format: string | undefined): { ok: true; request: ExportRequest } | { ok: false; message: string } {
  if (format === undefined) return { ok: false, message: `export needs --to with one of ${EXPORT_FORMATS.join(', ')}; usage: ${USAGE}` };
  if (!isFormat(format)) return { ok: false, message: `Unknown export format '${format}'; use one of ${EXPORT_FORMATS.join(', ')}` };
  if (positionals.length !== 2) {
    return { ok: false, message: `export takes FILE and OUT but got ${positionals.length} argument(s)${positionals.length ? `: ${positionals.join(' ')}` : ''}; usage: ${USAGE}` };
  }
  return { ok: true, request: { file: positionals[0], format, out: positionals[1] } };
}

/** Runs `export` on raw arguments (after the command name) and returns the exit status. */
export async function runExport(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseExportArguments(args);
  if (!parsed.ok) {
    io.stderr(`error: ${parsed.message}\n`);
    return EXIT_UNREADABLE;
  }
  return exportFile(parsed.request, io);
}

/**
 * The entry for the command table. That table's parser takes flags without values, so `--to`
 * arrives as a flag and the format as a positional: `FILE --to FORMAT OUT` gives
 * `[FILE, FORMAT, OUT]`, and `--to FORMAT FILE OUT` gives `[FORMAT, FILE, OUT]`.
 */
export const exportCommand: Command = {
  name: 'export',
  arguments: `FILE --to ${EXPORT_FORMATS.join('|')} OUT`,
  description:
    'Write the model of FILE as Keras model JSON, a TensorFlow.js model folder (model.json and weights.bin), a Python training script, or an SVG picture.',
  flags: { '--to': `The output format: ${EXPORT_FORMATS.join(', ')}. For tfjs, OUT is a folder.` },
  positionals: ['FILE', 'FORMAT', 'OUT'],
  async run({ positionals, flags }, io) {
    if (!flags.has('--to')) {
      io.stderr(`error: export needs --to with one of ${EXPORT_FORMATS.join(', ')}; usage: ${USAGE}\n`);
      return EXIT_UNREADABLE;
    }
    const [first, second, third] = positionals;
    const ordered = isFormat(second) || !isFormat(first) ? [first, third] : [second, third];
    const format = isFormat(second) || !isFormat(first) ? second : first;
    const checked = checkRequest(ordered, format);
    if (!checked.ok) {
      io.stderr(`error: ${checked.message}\n`);
      return EXIT_UNREADABLE;
    }
    return exportFile(checked.request, io);
  },
};

async function exportFile(request: ExportRequest, io: CliIo): Promise<number> {
  const loaded = await loadGraphFile(request.file);
  if (!loaded.ok) {
    for (const message of loaded.errors) io.stderr(`error: ${message}\n`);
    return EXIT_UNREADABLE;
  }
  for (const warning of loaded.warnings) io.stderr(`warning: ${warning}\n`);

  const { graph, modelName } = loaded;
  const errors = inferGraph(graph).errors;
  if (errors.length > 0) {
    io.stderr(`error: ${request.file} has ${errors.length} error${errors.length === 1 ? '' : 's'}, so nothing was exported; fix ${errors.length === 1 ? 'it' : 'them'} first:\n`);
    for (const error of errors) io.stderr(`  ${error.nodeId}: ${error.message}\n`);
    return EXIT_ERRORS;
  }

  const outcome = await writeFormat(request, graph, modelName);
  if (!outcome.ok) {
    for (const message of outcome.errors) io.stderr(`error: ${message}\n`);
    return outcome.status;
  }
  for (const path of outcome.written) io.stdout(`Wrote ${path}\n`);
  return EXIT_OK;
}

async function writeFormat(request: ExportRequest, graph: Graph, modelName: string): Promise<Outcome> {
  const { out } = request;
  switch (request.format) {
    case 'keras-json':
      return writeFiles([[out, `${JSON.stringify(graphToKerasModel(graph, modelName), null, 2)}\n`]]);
    case 'svg':
      return writeFiles([[out, graphToSvg(graph, { title: modelName })]]);
    case 'python':
      return writePython(request, graph, modelName);
    case 'tfjs':
      return writeTfjs(request, graph, modelName);
  }
}

async function writePython(request: ExportRequest, graph: Graph, modelName: string): Promise<Outcome> {
  const sections = await projectSections(request.file);
  const training = sections.training ? checkTraining(graph, sections.training) : undefined;
  if (training && !training.ok) return { ok: false, status: EXIT_UNREADABLE, errors: training.errors.map((message) => `${request.file}: training settings: ${message}`) };

  const exported = exportPythonScript(graph, { modelName, training: training?.overrides, data: sections.data });
  if (!exported.ok) return { ok: false, status: EXIT_ERRORS, errors: exported.errors };
  return writeFiles([[request.out, exported.script]]);
}

async function writeTfjs(request: ExportRequest, graph: Graph, modelName: string): Promise<Outcome> {
  const weights = await savedWeights(request.file);
  if (!weights.ok) return { ok: false, status: EXIT_UNREADABLE, errors: weights.errors.map((message) => `${request.file}: ${message}`) };

  // tfjs is large; it loads here and only here.
  const { exportTfjsModel, modelJsonText, WEIGHTS_FILE_NAME } = await import('../compile/export-tfjs');
  const exported = await exportTfjsModel(graph, { modelName, weights: weights.weights });
  if (!exported.ok) return { ok: false, status: EXIT_ERRORS, errors: exported.errors };

  try {
    await mkdir(request.out, { recursive: true });
  } catch (error) {
    return writeFailure(request.out, error);
  }
  return writeFiles([
    [join(request.out, 'model.json'), modelJsonText(exported.files)],
    [join(request.out, WEIGHTS_FILE_NAME), exported.files.weightData],
  ]);
}

async function writeFiles(files: [string, string | Uint8Array][]): Promise<Outcome> {
  for (const [path, content] of files) {
    try {
      await writeFile(path, content);
    } catch (error) {
      return writeFailure(path, error);
    }
  }
  return { ok: true, written: files.map(([path]) => path) };
}

function writeFailure(path: string, error: unknown): Outcome {
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code === 'ENOENT' ? 'its folder does not exist' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : error instanceof Error ? error.message : String(error);
  return { ok: false, status: EXIT_UNREADABLE, errors: [`cannot write ${path} (${reason})`] };
}

/**
 * The weights of a TensorFlow.js model.json, read from the files its manifest names in the same
 * folder; `undefined` weights for any other input, which then gets fresh ones.
 */
async function savedWeights(file: string): Promise<{ ok: true; weights?: NamedWeights } | { ok: false; errors: string[] }> {
  const text = await readFile(file, 'utf8');
  const parsed = parseJsonText(text);
  if (!parsed.ok || !isObject(parsed.value) || !hasWeightsManifest(parsed.value)) return { ok: true };

  const files = new Map<string, Uint8Array>();
  for (const path of weightFilePaths(text)) {
    try {
      files.set(path, new Uint8Array(await readFile(join(dirname(file), path))));
    } catch {
      // A missing file is reported by importTfjsModel, with every other missing one.
    }
  }
  const imported = importTfjsModel(text, files);
  return imported.ok ? { ok: true, weights: imported.weights } : imported;
}

interface ProjectSections {
  training?: JsonObject;
  data?: PythonDataOptions;
}

/** Reads the `training` and `data` sections of a project file; a model JSON has neither. */
async function projectSections(file: string): Promise<ProjectSections> {
  const parsed = parseJsonText(await readFile(file, 'utf8'));
  if (!parsed.ok || !isObject(parsed.value) || own(parsed.value, 'format') !== 'layerlab-project') return {};
  const training = own(parsed.value, 'training');
  const data = own(parsed.value, 'data');
  return {
    training: isObject(training) ? training : undefined,
    data: isObject(data) ? readDataSection(data) : undefined,
  };
}

/**
 * Reads the data file of a project's `data` section, written either as export options
 * (`{fileName, format, labelColumn, …}`) or as a data set source (`{kind: "csv", fileName, labelColumn}`).
 */
function readDataSection(data: JsonObject): PythonDataOptions | undefined {
  const source = isObject(own(data, 'source')) ? (own(data, 'source') as JsonObject) : data;
  const fileName = own(source, 'fileName');
  const format = own(source, 'format') ?? own(source, 'kind');
  if (typeof fileName !== 'string' || (format !== 'npz' && format !== 'csv')) return undefined;

  const options: PythonDataOptions = { fileName, format };
  const text = (key: string): string | undefined => (typeof own(source, key) === 'string' ? (own(source, key) as string) : undefined);
  const labelColumn = text('labelColumn');
  const features = text('features');
  const labels = text('labels');
  const missing = own(source, 'missing');
  const standardize = own(source, 'standardize');
  const ignoreColumns = own(source, 'ignoreColumns');
  if (labelColumn !== undefined) options.labelColumn = labelColumn;
  if (features !== undefined) options.features = features;
  if (labels !== undefined) options.labels = labels;
  if (missing === 'drop' || missing === 'fill') options.missing = missing;
  if (typeof standardize === 'boolean') options.standardize = standardize;
  if (Array.isArray(ignoreColumns) && ignoreColumns.every((column: JsonValue) => typeof column === 'string')) options.ignoreColumns = ignoreColumns as string[];
  const textColumns = own(source, 'textColumns');
  if (Array.isArray(textColumns) && textColumns.every((column: JsonValue) => typeof column === 'string')) options.textColumns = textColumns as string[];
  if (own(source, 'decimalComma') === true) options.decimalComma = true;
  return options;
}

/** Merges a project's training settings over the defaults and validates them. */
function checkTraining(graph: Graph, section: JsonObject): { ok: true; overrides: TrainingConfigOverrides } | { ok: false; errors: string[] } {
  const overrides = section as unknown as TrainingConfigOverrides;
  const merged = defaultTrainingConfig(graph, inferGraph(graph), undefined, overrides);
  const validation = validateTrainingConfig(merged);
  return validation.ok ? { ok: true, overrides: validation.config } : { ok: false, errors: validation.errors };
}
