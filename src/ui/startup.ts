/**
 * Start-up of the editor. It shows the autosaved graph if there is one, otherwise the
 * solubility template. A share link in the address (`#g=…`) then opens on top as one undo
 * step, so undo returns to the person's own graph.
 */
import { useReactFlow, type ReactFlowInstance } from '@xyflow/react';
import { useEffect, useRef } from 'react';
import { getTemplate } from '../graph/templates';
import type { Graph } from '../graph/types';
import { gridLayout, hasPositions, layoutGraph } from '../project/layout';
import { decodeShareHash, sharePayload } from '../project/share';
import { replaceGraph } from '../store/actions';
import { currentGraph, resetGraph } from '../store/graph-store';
import { loadAutosave, loadAutosavedSections, loadProjectName, startAutosave } from '../store/persistence';
import { restoreProjectSections } from '../store/project-sections';
import { useUiStore } from '../store/ui-store';
import { fitReadable } from './canvas/fit';
import { reloadData } from './commands';

export const DEFAULT_TEMPLATE_ID = 'solubility';

/** Builds the graph of a first start: the solubility template, on a grid until elkjs lays it out. */
export function defaultGraph(): Graph {
  const template = getTemplate(DEFAULT_TEMPLATE_ID);
  return template ? gridLayout(template.build()) : { nodes: [], edges: [] };
}

/**
 * Puts the first graph into the store before the first render. Returns whether that graph is
 * the default template, which elkjs should lay out once the page is up.
 */
export function loadInitialGraph(): boolean {
  const autosaved = loadAutosave();
  if (autosaved) {
    resetGraph(hasPositions(autosaved) ? autosaved : gridLayout(autosaved));
    useUiStore.getState().setProjectName(loadProjectName() ?? 'model');
    return false;
  }
  resetGraph(defaultGraph());
  useUiStore.getState().setProjectName(DEFAULT_TEMPLATE_ID);
  return true;
}

/** Puts back the data set (built-in ones load again), settings and runs of the autosave. */
function restoreAutosavedSections(): void {
  const sections = loadAutosavedSections();
  if (!sections) return;
  const restored = restoreProjectSections(sections);
  const notices = restored.source ? [...restored.notices, ...reloadData(restored.source)] : restored.notices;
  if (notices.length > 0) useUiStore.getState().showBanner(notices.join(' '), 'info');
}

function fitSoon(flow: ReactFlowInstance): void {
  requestAnimationFrame(() => requestAnimationFrame(() => fitReadable(flow)));
}

function clearHash(): void {
  history.replaceState(null, '', window.location.pathname + window.location.search);
}

/** Opens the graph of a share link in the address, if any, and removes it from the address. */
async function openShareLinkFromAddress(): Promise<boolean> {
  if (sharePayload(window.location.hash) === null) return false;
  const result = decodeShareHash(window.location.hash);
  clearHash();
  const ui = useUiStore.getState();
  if (!result.ok) {
    ui.showBanner(result.message);
    return false;
  }
  const graph = hasPositions(result.project.graph) ? result.project.graph : await layoutGraph(result.project.graph).catch(() => gridLayout(result.project.graph));
  replaceGraph(graph);
  ui.showBanner('Opened the graph from the share link. Undo returns to the graph you had before.', 'info');
  return true;
}

/** Runs the steps after the first render: autosave, share links, and the default layout. */
export function useStartup(layoutDefault: boolean): void {
  const flow = useReactFlow();
  // React's Strict Mode mounts twice in development; the one-time steps must run once.
  const started = useRef(false);

  useEffect(() => {
    const stopAutosave = startAutosave();
    const onHashChange = () => {
      void openShareLinkFromAddress().then((opened) => opened && fitSoon(flow));
    };
    window.addEventListener('hashchange', onHashChange);
    return () => {
      stopAutosave();
      window.removeEventListener('hashchange', onHashChange);
    };
  }, [flow]);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void (async () => {
      if (await openShareLinkFromAddress()) {
        fitSoon(flow);
        return;
      }
      if (!layoutDefault) {
        restoreAutosavedSections();
        return;
      }
      const before = currentGraph();
      const laidOut = await layoutGraph(before).catch(() => before);
      // Replace the placeholder layout only if the person has not started editing meanwhile.
      if (currentGraph() === before) {
        resetGraph(laidOut);
        fitSoon(flow);
      }
    })();
  }, [flow, layoutDefault]);
}
