/**
 * The project file: `{ format: "layerlab-project", version, graph, data?, training? }`.
 * Every way a graph enters the editor (open, autosave, share link) goes through
 * `parseProjectValue`, which validates with zod, migrates older versions forward and reports the
 * first problems with the field and the value found. Opening a file or a share link also checks
 * each layer's kind and parameter values against the layer catalogue.
 */
import { z } from 'zod';
import type { Graph, ParamValue } from '../graph/types';
import { getLayerKind, validateParam, type LayerKind } from '../layers';
import { dataSectionSchema, trainingSectionSchema, type DataSection, type TrainingSection } from './sections';

export const PROJECT_FORMAT = 'layerlab-project';
export const PROJECT_VERSION = 1;

/** Largest project text read, in characters; the solubility template saves to about 4 KB. */
export const MAX_PROJECT_CHARS = 20_000_000;
export const MAX_NODES = 10_000;
export const MAX_EDGES = 50_000;

const idSchema = z
  .string({ error: 'must be a string' })
  .min(1, { error: 'must not be empty' })
  .max(200, { error: 'must be at most 200 characters' });

const positionSchema = z.object({
  x: z.number({ error: 'must be a finite number' }),
  y: z.number({ error: 'must be a finite number' }),
});

const nodeSchema = z.object({
  id: idSchema,
  kind: z.string({ error: 'must be a Keras class name such as "Dense"' }).min(1, { error: 'must not be empty' }),
  name: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }),
  params: z.record(z.string(), z.json({ error: 'must be a JSON value' }), { error: 'must be an object of parameters' }),
  sharedWith: idSchema.optional(),
  position: positionSchema.optional(),
});

const inputIndexSchema = z
  .number({ error: 'must be a whole number ≥ 0' })
  .int({ error: 'must be a whole number ≥ 0' })
  .min(0, { error: 'must be a whole number ≥ 0' });

const edgeSchema = z.object({
  id: idSchema,
  source: idSchema,
  target: idSchema,
  sourceOutput: inputIndexSchema.optional(),
  targetInput: inputIndexSchema.optional(),
});

/** A graph whose ids are unique and whose edges and shared layers name nodes of the graph. */
export const graphSchema = z
  .object({
    nodes: z.array(nodeSchema, { error: 'must be a list of layers' }).max(MAX_NODES, { error: `must have at most ${MAX_NODES} layers` }),
    edges: z.array(edgeSchema, { error: 'must be a list of connections' }).max(MAX_EDGES, { error: `must have at most ${MAX_EDGES} connections` }),
  })
  .superRefine((graph, context) => {
    const nodeIds = new Set<string>();
    graph.nodes.forEach((node, index) => {
      if (nodeIds.has(node.id)) {
        context.addIssue({ code: 'custom', path: ['nodes', index, 'id'], input: node.id, message: 'repeats the id of an earlier layer' });
      }
      nodeIds.add(node.id);
    });

    const edgeIds = new Set<string>();
    graph.edges.forEach((edge, index) => {
      if (edgeIds.has(edge.id)) {
        context.addIssue({ code: 'custom', path: ['edges', index, 'id'], input: edge.id, message: 'repeats the id of an earlier connection' });
      }
      edgeIds.add(edge.id);
      for (const end of ['source', 'target'] as const) {
        if (!nodeIds.has(edge[end])) {
          context.addIssue({ code: 'custom', path: ['edges', index, end], input: edge[end], message: 'is not the id of a layer in this graph' });
        }
      }
    });

    graph.nodes.forEach((node, index) => {
      if (node.sharedWith !== undefined && !nodeIds.has(node.sharedWith)) {
        context.addIssue({ code: 'custom', path: ['nodes', index, 'sharedWith'], input: node.sharedWith, message: 'is not the id of a layer in this graph' });
      }
    });
  });

export const projectSchema = z.object({
  format: z.literal(PROJECT_FORMAT, { error: `must be "${PROJECT_FORMAT}"` }),
  version: z.literal(PROJECT_VERSION, { error: `must be ${PROJECT_VERSION}` }),
  graph: graphSchema,
  data: dataSectionSchema.optional(),
  training: trainingSectionSchema.optional(),
});

export interface Project {
  format: typeof PROJECT_FORMAT;
  version: typeof PROJECT_VERSION;
  graph: Graph;
  /** Origin of the examples and how many a run draws; never the examples themselves. */
  data?: DataSection;
  /** Training settings as `TrainingConfig` names them, and the history of finished runs. */
  training?: TrainingSection;
}

export type ProjectResult =
  | { ok: true; project: Project; migratedFrom?: number }
  | { ok: false; message: string; problems: string[] };

/** Wraps a graph as a project of the current version. */
export function makeProject(graph: Graph, extra: Pick<Project, 'data' | 'training'> = {}): Project {
  const project: Project = { format: PROJECT_FORMAT, version: PROJECT_VERSION, graph };
  if (extra.data) project.data = extra.data;
  if (extra.training) project.training = extra.training;
  return project;
}

/**
 * Migrations, by the version they read: `MIGRATIONS[v]` turns a version-v project into a
 * version-(v+1) one. Version 0 is a bare `{ nodes, edges }` graph without the wrapper, as
 * written by hand or copied from the graph alone.
 */
const MIGRATIONS: Record<number, (value: Record<string, unknown>) => Record<string, unknown>> = {
  0: (value) => ({ format: PROJECT_FORMAT, version: 1, graph: { nodes: value.nodes, edges: value.edges } }),
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The version a value claims to be, or `null` when it is no project at all. */
function detectVersion(value: Record<string, unknown>): number | null {
  if (value.format === PROJECT_FORMAT) return typeof value.version === 'number' ? value.version : null;
  if (value.format === undefined && Array.isArray(value.nodes) && Array.isArray(value.edges)) return 0;
  return null;
}

function describeFound(input: unknown): string {
  if (input === undefined) return 'nothing';
  const text = JSON.stringify(input);
  if (text === undefined) return String(input);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text || '(top level)';
}

/** One line per zod issue: the field, what it must be, and the value found. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const rule = issue.message.replace(/^Invalid input: /, '');
    const found = 'input' in issue ? `, found ${describeFound(issue.input)}` : '';
    return `${formatPath(issue.path)} ${rule}${found}`;
  });
}

/** Maximum depth of nested models and wrapped layers that the layer check descends into, as in inference. */
const MAX_CHECKED_NESTING = 16;

/**
 * Checks every layer of a graph, and of the models and wrappers inside it, against the layer
 * catalogue. Its kind must be in the catalogue, and each parameter present must pass
 * `validateParam`. A missing parameter passes, because it takes its default. Returns one line per
 * problem, e.g. `layer "dense" (Dense): units must be a whole number ≥ 1 but got "twenty"`.
 */
export function findInvalidLayers(graph: Graph): string[] {
  const problems: string[] = [];
  checkGraphLayers(graph, '', 0, problems);
  return problems;
}

function checkGraphLayers(graph: unknown, where: string, depth: number, problems: string[]): void {
  if (!isRecord(graph) || !Array.isArray(graph.nodes) || depth > MAX_CHECKED_NESTING) return;
  for (const node of graph.nodes) {
    if (!isRecord(node)) continue;
    const name = typeof node.name === 'string' ? `"${node.name}"` : describeFound(node.id);
    const kind = checkLayer(node.kind, node.params, `layer ${name}`, where, depth, problems);
    if (!kind || !isRecord(node.params)) continue;
    for (const spec of kind.params) {
      if (spec.type === 'graph') checkGraphLayers(node.params[spec.name], ` in model ${name}${where}`, depth + 1, problems);
    }
  }
}

/** Checks the kind and parameters of one layer, and of the layer it wraps. Returns the kind, or undefined when it is unknown. */
function checkLayer(kindName: unknown, params: unknown, layer: string, where: string, depth: number, problems: string[]): LayerKind | undefined {
  const kind = typeof kindName === 'string' ? getLayerKind(kindName) : undefined;
  if (!kind) {
    problems.push(`${layer}${where}: kind ${describeFound(kindName)} is not a supported layer kind; use a Keras class name that Layerlab supports, such as "Dense"`);
    return undefined;
  }

  const label = `${layer} (${kind.className})${where}`;
  if (params === undefined) return kind;
  if (!isRecord(params)) {
    problems.push(`${label}: params must be an object of parameters, found ${describeFound(params)}`);
    return kind;
  }
  for (const spec of kind.params) {
    if (!Object.hasOwn(params, spec.name)) continue;
    const value = params[spec.name] as ParamValue;
    const problem = validateParam(spec, value);
    if (problem) problems.push(`${label}: ${problem}`);
    else if (spec.type === 'layer' && isRecord(value) && depth < MAX_CHECKED_NESTING) {
      checkLayer(value.kind, value.params, `${label}: wrapped layer`, '', depth + 1, problems);
    }
  }
  return kind;
}

function failure(summary: string, problems: string[] = []): ProjectResult {
  const shown = problems.slice(0, 3);
  const more = problems.length > shown.length ? ` (and ${problems.length - shown.length} more)` : '';
  const message = shown.length > 0 ? `${summary}: ${shown.join('; ')}${more}` : summary;
  return { ok: false, message, problems };
}

export interface ParseOptions {
  /**
   * Whether to reject a layer of an unknown kind or with an invalid parameter value. Opening a file
   * or a share link sets it. Autosave leaves it off, so that a stored graph with an invalid value
   * still loads, and inference shows the error on that layer with a fix.
   */
  checkLayers?: boolean;
  /** Source of the text, as messages name it: 'project file' unless given. */
  subject?: 'project file' | 'share link';
}

/** Returns the short name of the source for messages about the text as a whole: "file" or "share link". */
function sourceOf(options: ParseOptions): string {
  return options.subject === 'share link' ? 'share link' : 'file';
}

/** Validates a parsed JSON value as a project, migrating older versions forward. */
export function parseProjectValue(value: unknown, options: ParseOptions = {}): ProjectResult {
  const subject = options.subject ?? 'project file';
  const source = sourceOf(options);
  if (!isRecord(value)) return failure(`The ${source} is not a Layerlab project: expected a JSON object, found ${describeFound(value)}`);
  const version = detectVersion(value);
  if (version === null) {
    return failure(`The ${source} is not a Layerlab project: format must be "${PROJECT_FORMAT}" with a numeric version, found format ${describeFound(value.format)}`);
  }
  if (!Number.isInteger(version) || version < 0) {
    return failure(`The project version must be a whole number from 0 to ${PROJECT_VERSION}, found ${describeFound(version)}`);
  }
  if (version > PROJECT_VERSION) {
    return failure(`The project is version ${version}, newer than the version ${PROJECT_VERSION} this Layerlab reads; open it in a newer Layerlab`);
  }

  let migrated: Record<string, unknown> = value;
  for (let from = version; from < PROJECT_VERSION; from += 1) migrated = MIGRATIONS[from](migrated);

  const result = projectSchema.safeParse(migrated, { reportInput: true });
  if (!result.success) return failure(`The ${subject} is invalid`, describeIssues(result.error));
  const project = result.data as Project;
  if (options.checkLayers) {
    const invalidLayers = findInvalidLayers(project.graph);
    if (invalidLayers.length > 0) return failure(`The ${subject} is invalid`, invalidLayers);
  }
  return version === PROJECT_VERSION ? { ok: true, project } : { ok: true, project, migratedFrom: version };
}

/** Parses project JSON text: see `parseProjectValue`. */
export function parseProjectText(text: string, options: ParseOptions = {}): ProjectResult {
  const source = sourceOf(options);
  if (text.length > MAX_PROJECT_CHARS) {
    return failure(`The ${source} has ${text.length.toLocaleString('en-US')} characters, more than the ${MAX_PROJECT_CHARS.toLocaleString('en-US')} a project may have`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return failure(`The ${source} is not valid JSON (${reason})`);
  }
  return parseProjectValue(value, options);
}

/** Serializes a project as the text of a `.layerlab.json` file. */
export function serializeProject(project: Project): string {
  return `${JSON.stringify(project, null, 2)}\n`;
}
