/**
 * Autosave: every change of the graph, and of the data and training settings and run history,
 * is written to localStorage as a project file, so a reload or a crash loses nothing. The key
 * carries the project format version, and a stored project goes through the same validation
 * and migration as an opened file.
 */
import type { Graph } from '../graph/types';
import { makeProject, parseProjectText, PROJECT_VERSION } from '../project/schema';
import { useDataStore } from './data-store';
import { useGraphStore } from './graph-store';
import { collectProjectSections, type ProjectSections } from './project-sections';
import { useTrainingStore } from './training-store';
import { useUiStore } from './ui-store';

export const AUTOSAVE_KEY = `layerlab:autosave:v${PROJECT_VERSION}`;

/** Key of the project name, which the project file does not contain. */
export const PROJECT_NAME_KEY = 'layerlab:project-name';

/** Delay between an edit and its write, in milliseconds, so a drag writes once, not per frame. */
export const AUTOSAVE_DELAY_MS = 250;

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    // Storage access throws in some privacy modes; the editor then works without autosave.
    return null;
  }
}

/** Loads the autosaved graph, or returns `null` when there is none or it is invalid. */
export function loadAutosave(): Graph | null {
  return loadAutosavedProject()?.graph ?? null;
}

/** Loads the autosaved data and training sections, or returns `null` when there are none. */
export function loadAutosavedSections(): ProjectSections | null {
  const project = loadAutosavedProject();
  if (!project || (!project.data && !project.training)) return null;
  return { ...(project.data ? { data: project.data } : {}), ...(project.training ? { training: project.training } : {}) };
}

function loadAutosavedProject() {
  const text = storage()?.getItem(AUTOSAVE_KEY);
  if (!text) return null;
  const result = parseProjectText(text);
  if (!result.ok) {
    console.warn(`Layerlab: ignored the autosaved project in ${AUTOSAVE_KEY}: ${result.message}`);
    return null;
  }
  return result.project;
}

/** Writes `graph`, with the current data and training sections, to localStorage now. Returns whether it was stored. */
export function saveAutosave(graph: Graph): boolean {
  const store = storage();
  if (!store) return false;
  try {
    store.setItem(AUTOSAVE_KEY, JSON.stringify(makeProject(graph, collectProjectSections())));
    return true;
  } catch (error) {
    console.warn(`Layerlab: autosave to ${AUTOSAVE_KEY} failed`, error);
    return false;
  }
}

function saveProjectName(name: string): void {
  try {
    storage()?.setItem(PROJECT_NAME_KEY, name);
  } catch (error) {
    console.warn(`Layerlab: saving the project name to ${PROJECT_NAME_KEY} failed`, error);
  }
}

/** Loads the project name saved with the autosave, or returns `null` when there is none. */
export function loadProjectName(): string | null {
  return storage()?.getItem(PROJECT_NAME_KEY) ?? null;
}

/**
 * Saves the graph shortly after every change, and at once when the page is hidden or closed.
 * The project name is saved on every change. Returns a function that stops autosaving.
 */
export function startAutosave(): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let pending: Graph | null = null;

  const flush = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (pending) saveAutosave(pending);
    pending = null;
  };

  const schedule = () => {
    pending = useGraphStore.getState().graph;
    if (timer === null) timer = setTimeout(flush, AUTOSAVE_DELAY_MS);
  };
  const unsubscribe = useGraphStore.subscribe((state, previous) => {
    if (state.graph !== previous.graph) schedule();
  });
  // The data source, split settings, training settings and finished runs travel with the graph.
  const unsubscribeData = useDataStore.subscribe((state, previous) => {
    if (state.loaded !== previous.loaded || state.splitDraft !== previous.splitDraft) schedule();
  });
  const unsubscribeTraining = useTrainingStore.subscribe((state, previous) => {
    if (state.draft !== previous.draft || state.runs !== previous.runs) schedule();
  });
  saveProjectName(useUiStore.getState().projectName);
  const unsubscribeName = useUiStore.subscribe((state, previous) => {
    if (state.projectName === previous.projectName) return;
    saveProjectName(state.projectName);
  });

  globalThis.addEventListener?.('pagehide', flush);
  globalThis.addEventListener?.('beforeunload', flush);
  return () => {
    flush();
    unsubscribe();
    unsubscribeData();
    unsubscribeTraining();
    unsubscribeName();
    globalThis.removeEventListener?.('pagehide', flush);
    globalThis.removeEventListener?.('beforeunload', flush);
  };
}
