/** Reading the FILE argument: a Layerlab project or a Keras / TensorFlow.js model JSON. */
import { readFile, stat } from 'node:fs/promises';
import { MAX_TEXT_LENGTH, parseJsonText } from '../compile/import-json';
import { importModelValue } from '../compile/keras-import';
import type { Graph } from '../graph/types';
import { isProjectFile, readProject } from './project';

export type LoadResult =
  | { ok: true; graph: Graph; modelName: string; warnings: string[] }
  | { ok: false; errors: string[] };

/** Loads a graph from a file; every failure is a message that names the file. */
export async function loadGraphFile(path: string): Promise<LoadResult> {
  const text = await readText(path);
  if (!text.ok) return text;

  const parsed = parseJsonText(text.text);
  if (!parsed.ok) return withFile(path, parsed.errors);

  if (isProjectFile(parsed.value)) {
    const project = readProject(parsed.value);
    if (!project.ok) return withFile(path, project.errors);
    return { ok: true, graph: project.graph, modelName: 'model', warnings: [] };
  }

  const imported = importModelValue(parsed.value);
  if (!imported.ok) return withFile(path, imported.errors);
  return { ok: true, graph: imported.graph, modelName: imported.modelName, warnings: imported.warnings };
}

async function readText(path: string): Promise<{ ok: true; text: string } | { ok: false; errors: string[] }> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) return withFile(path, ['it is a folder; pass a .json file']);
    // UTF-8 never takes fewer bytes than characters, so this bounds the text length too.
    if (info.size > MAX_TEXT_LENGTH * 4) return withFile(path, [`it has ${info.size} bytes, far more than a model topology; pass model.json, not the weights`]);
    return { ok: true, text: await readFile(path, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : error instanceof Error ? error.message : String(error);
    return withFile(path, [`cannot read it (${reason})`]);
  }
}

function withFile(path: string, errors: string[]): { ok: false; errors: string[] } {
  return { ok: false, errors: errors.map((message) => `${path}: ${message}`) };
}
