/**
 * Reading a Layerlab project file (`{"format": "layerlab-project", "version": 1, "graph": …}`)
 * defensively: every node and edge is checked for the fields and types the graph needs, so a
 * damaged file gets a message that names the field instead of a crash later.
 */
import { isObject, own } from '../compile/import-json';
import type { JsonObject, JsonValue } from '../compile/keras-export';
import type { Graph, GraphEdge, GraphNode, Params } from '../graph/types';

/** The newest project file version this code reads. */
export const PROJECT_VERSION = 1;

/** At most this many problems are listed, so that a badly damaged file cannot flood the terminal. */
const MAX_LISTED_PROBLEMS = 10;

export type ProjectResult = { ok: true; graph: Graph } | { ok: false; errors: string[] };

/** Returns whether a parsed file claims to be a Layerlab project. */
export function isProjectFile(value: JsonValue): value is JsonObject {
  return isObject(value) && own(value, 'format') === 'layerlab-project';
}

/** Reads the graph of a project file, or returns the problems found (up to ten) with their fields. */
export function readProject(value: JsonObject): ProjectResult {
  const version = own(value, 'version');
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return { ok: false, errors: [`The project file has version ${JSON.stringify(version ?? null)}; expected a whole number ≥ 1`] };
  }
  if (version > PROJECT_VERSION) {
    return { ok: false, errors: [`The project file has version ${version}, written by a newer Layerlab; this one reads up to version ${PROJECT_VERSION}, so update Layerlab`] };
  }

  const graph = own(value, 'graph');
  if (!isObject(graph)) return { ok: false, errors: ['The project file has no "graph" object; expected "graph": {"nodes": [...], "edges": [...]}'] };
  const rawNodes = own(graph, 'nodes');
  const rawEdges = own(graph, 'edges');
  const problems: string[] = [];
  if (!Array.isArray(rawNodes)) problems.push('graph.nodes must be a list');
  if (!Array.isArray(rawEdges)) problems.push('graph.edges must be a list');
  if (problems.length > 0) return { ok: false, errors: problems };

  const nodes = (rawNodes as JsonValue[]).map((raw, i) => readNode(raw, `graph.nodes[${i}]`, problems));
  const edges = (rawEdges as JsonValue[]).map((raw, i) => readEdge(raw, `graph.edges[${i}]`, problems));
  reportDuplicates(nodes.map((node) => node?.id), 'node', problems);
  reportDuplicates(edges.map((edge) => edge?.id), 'edge', problems);

  if (problems.length > 0) {
    const listed = problems.slice(0, MAX_LISTED_PROBLEMS);
    const more = problems.length - listed.length;
    return { ok: false, errors: more > 0 ? [...listed, `… and ${more} more problems`] : listed };
  }
  return { ok: true, graph: { nodes: nodes as GraphNode[], edges: edges as GraphEdge[] } };
}

function readNode(raw: JsonValue, path: string, problems: string[]): GraphNode | undefined {
  if (!isObject(raw)) {
    problems.push(`${path} must be an object with id, kind, name and params`);
    return undefined;
  }
  const id = requireString(raw, 'id', path, problems);
  const kind = requireString(raw, 'kind', path, problems);
  const name = requireString(raw, 'name', path, problems);
  const params = own(raw, 'params') ?? {};
  if (!isObject(params)) problems.push(`${path}.params must be an object`);
  if (id === undefined || kind === undefined || name === undefined || !isObject(params)) return undefined;

  const node: GraphNode = { id, kind, name, params: params as Params };
  const sharedWith = own(raw, 'sharedWith');
  if (sharedWith !== undefined && sharedWith !== null) {
    if (typeof sharedWith === 'string') node.sharedWith = sharedWith;
    else problems.push(`${path}.sharedWith must be a node id`);
  }
  const position = own(raw, 'position');
  if (position !== undefined && position !== null) {
    const x = isObject(position) ? own(position, 'x') : undefined;
    const y = isObject(position) ? own(position, 'y') : undefined;
    if (typeof x === 'number' && typeof y === 'number') node.position = { x, y };
    else problems.push(`${path}.position must be {"x": number, "y": number}`);
  }
  return node;
}

function readEdge(raw: JsonValue, path: string, problems: string[]): GraphEdge | undefined {
  if (!isObject(raw)) {
    problems.push(`${path} must be an object with id, source and target`);
    return undefined;
  }
  const id = requireString(raw, 'id', path, problems);
  const source = requireString(raw, 'source', path, problems);
  const target = requireString(raw, 'target', path, problems);
  if (id === undefined || source === undefined || target === undefined) return undefined;

  const edge: GraphEdge = { id, source, target };
  for (const key of ['sourceOutput', 'targetInput'] as const) {
    const value = own(raw, key);
    if (value === undefined || value === null) continue;
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0) edge[key] = value;
    else problems.push(`${path}.${key} must be a whole number ≥ 0 but is ${JSON.stringify(value)}`);
  }
  return edge;
}

function requireString(object: JsonObject, key: string, path: string, problems: string[]): string | undefined {
  const value = own(object, key);
  if (typeof value === 'string' && value.length > 0) return value;
  problems.push(`${path}.${key} must be a non-empty string but is ${JSON.stringify(value ?? null)}`);
  return undefined;
}

function reportDuplicates(ids: (string | undefined)[], what: string, problems: string[]): void {
  const seen = new Set<string>();
  for (const id of ids) {
    if (id === undefined) continue;
    if (seen.has(id)) problems.push(`Two ${what}s have the id "${id}"; ids must be unique`);
    seen.add(id);
  }
}
