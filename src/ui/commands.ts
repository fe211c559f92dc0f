/**
 * Editor commands that need the React Flow instance: adding at the centre of the view, fitting
 * the view, layout, templates, files and share links. Components get them from
 * `useEditorCommands`, which works inside any `ReactFlowProvider`.
 */
import { useReactFlow, type ReactFlowInstance } from '@xyflow/react';
import { useMemo } from 'react';
import { moveNodes, type Position } from '../graph/edit';
import { getTemplate } from '../graph/templates';
import type { Graph } from '../graph/types';
import { DEFAULT_NODE_SIZE, freeSpot, gridLayout, layoutGraph, type NodeSize } from '../project/layout';
import { listBuiltinDatasets, type BuiltinOptions } from '../data';
import { formatCount } from '../layers';
import { openModelFiles, type OpenResult } from '../project/open';
import { makeProject, serializeProject } from '../project/schema';
import type { SavedDataSource } from '../project/sections';
import { shareLink } from '../project/share';
import { addLayer, addLayerAfter, replaceGraph } from '../store/actions';
import { useDataStore } from '../store/data-store';
import { layersWithNotes } from '../store/inference';
import { rememberDataSwap } from '../store/data-swaps';
import { currentGraph, useGraphStore } from '../store/graph-store';
import { collectProjectSections, restoreProjectSections } from '../store/project-sections';
import { useUiStore } from '../store/ui-store';
import { clearImportedWeights, countWeightValues, setImportedWeights } from '../store/weights-store';
import { loadBuiltinData } from './data/data-actions';
import { dataFitsInput, TEMPLATE_DATA } from './data/template-data';
import type { LayerFlowNode, ShapeFlowEdge } from './canvas/flow-types';
import { CANVAS_ID } from './canvas/constants';
import { fitAll, fitReadable, revealSoon } from './canvas/fit';

type Flow = ReactFlowInstance<LayerFlowNode, ShapeFlowEdge>;

function measuredSizes(flow: Flow): Map<string, NodeSize> {
  const sizes = new Map<string, NodeSize>();
  for (const node of flow.getNodes()) {
    if (node.measured?.width && node.measured?.height) {
      sizes.set(node.id, { width: node.measured.width, height: node.measured.height });
    }
  }
  return sizes;
}

/** Fits the view once React Flow has rendered the nodes of a new graph. */
function fitSoon(flow: Flow): void {
  requestAnimationFrame(() => requestAnimationFrame(() => fitReadable(flow)));
}

function centreOfView(flow: Flow): Position {
  const element = document.getElementById(CANVAS_ID);
  const rect = element?.getBoundingClientRect();
  const screen = rect && rect.width > 0 ? { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 } : { x: 0, y: 0 };
  const point = flow.screenToFlowPosition(screen);
  return { x: Math.round(point.x - DEFAULT_NODE_SIZE.width / 2), y: Math.round(point.y - DEFAULT_NODE_SIZE.height / 2) };
}

/** Lays out with elkjs, or with the grid layout (and a console warning) when elkjs fails. */
async function layoutOrGrid(graph: Graph, sizes?: Map<string, NodeSize>, withNotes?: ReadonlySet<string>): Promise<Graph> {
  try {
    return await layoutGraph(graph, sizes, withNotes);
  } catch (error) {
    console.warn('Layerlab: elkjs layout failed, used the grid layout instead', error);
    return gridLayout(graph);
  }
}

function download(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Makes a name safe as a file name on every common system. */
export function fileSafeName(name: string): string {
  return name.trim().replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'model';
}

/**
 * Loads a project's built-in data set again unless it is loaded already. A data file is named
 * in a notice instead, since only the person can pick it.
 */
/** Loads the built-in data set a project names again; for a file, returns a notice naming it. */
export function reloadData(source: SavedDataSource): string[] {
  if (source.kind !== 'builtin') {
    const loaded = useDataStore.getState().loaded;
    if (!loaded) useDataStore.setState({ missingFile: source.fileName });
    return [`The project was trained on ${source.fileName}; load it in the data panel to train again.`];
  }
  const loaded = useDataStore.getState().loaded?.dataset.source;
  if (loaded?.kind === 'builtin' && loaded.id === source.id && JSON.stringify(loaded.options ?? {}) === JSON.stringify(source.options ?? {})) return [];

  const builtin = listBuiltinDatasets().find((entry) => entry.id === source.id);
  if (!builtin) return [`The project was trained on the built-in data set '${source.id}', which this Layerlab does not have; pick another data set in the data panel.`];
  void loadBuiltinData(builtin.id, builtin.name, (source.options ?? {}) as BuiltinOptions);
  return [];
}

/**
 * Keeps what came with an opened graph besides the graph: the weights of a tfjs model, and a
 * project's data and training settings. Returns notices for the person.
 */
function applyOpenedExtras(result: Extract<OpenResult, { ok: true }>, modelFileName: string): string[] {
  if (result.weights) setImportedWeights(result.graph, result.weights, modelFileName);
  else clearImportedWeights();

  const restored = restoreProjectSections({
    ...(result.data ? { data: result.data } : {}),
    ...(result.training ? { training: result.training } : {}),
  });
  return restored.source ? [...restored.notices, ...reloadData(restored.source)] : restored.notices;
}

export interface EditorCommands {
  /**
   * Adds a layer from the palette: after the selected layer and connected to it when one layer is
   * selected and the kind takes an input, else at a free spot near the centre of the view. The
   * view scrolls to the new layer if it is out of view. Returns the new layer's id.
   */
  addLayerFromPalette(className: string): string;
  fitView(): void;
  autoLayout(): Promise<void>;
  openTemplate(templateId: string): Promise<void>;
  /** Replaces the graph with an empty one (undo brings it back) and resets the view. */
  clearCanvas(): void;
  openFile(file: File): Promise<boolean>;
  /** Opens files picked together: one project or model JSON, or a model.json with its .bin weight files. */
  openFiles(files: readonly File[]): Promise<boolean>;
  saveProject(): void;
  createShareLink(): string;
}

export function createEditorCommands(flow: Flow): EditorCommands {
  const openFiles = async (files: readonly File[]): Promise<boolean> => {
    const ui = useUiStore.getState();
    const result = await openModelFiles(files);
    if (!result.ok) {
      ui.showBanner(result.message);
      return false;
    }

    replaceGraph(result.graph);
    ui.setProjectName(result.name);
    const modelFileName = files.find((file) => /\.json$/i.test(file.name))?.name ?? result.name;
    const notices = [...result.notices, ...applyOpenedExtras(result, modelFileName)];
    if (notices.length > 0) ui.showBanner(notices.join(' '), 'info');
    else ui.clearBanner();
    const opened = files.map((file) => file.name).join(' and ');
    const weights = result.weights ? ` with ${formatCount(countWeightValues(result.weights))} weight values` : '';
    ui.showToast(`Opened ${opened}${weights}`);
    fitSoon(flow);
    return true;
  };

  return {
    addLayerFromPalette(className) {
      const selected = useUiStore.getState().selectedNodeIds;
      const after = selected.length === 1 ? addLayerAfter(className, selected[0]) : '';
      const nodeId = after || addLayer(className, freeSpot(currentGraph(), centreOfView(flow), measuredSizes(flow)));
      revealSoon(flow, [nodeId]);
      return nodeId;
    },

    fitView() {
      fitAll(flow);
    },

    async autoLayout() {
      const before = currentGraph();
      const laidOut = await layoutOrGrid(before, measuredSizes(flow), layersWithNotes());
      // The person may have edited while elkjs ran: apply only the new positions.
      const positions = new Map(laidOut.nodes.map((node) => [node.id, node.position!]));
      useGraphStore.getState().applyEdit((graph) => moveNodes(graph, positions));
      fitSoon(flow);
    },

    async openTemplate(templateId) {
      const template = getTemplate(templateId);
      if (!template) return;
      const graph = await layoutOrGrid(template.build());
      const graphBefore = currentGraph();
      replaceGraph(graph);
      clearImportedWeights();
      const ui = useUiStore.getState();
      ui.setProjectName(template.id);
      ui.clearBanner();
      fitSoon(flow);

      const data = TEMPLATE_DATA[template.id];
      const previous = useDataStore.getState().loaded;
      if (data && !dataFitsInput(previous, graph)) {
        await loadBuiltinData(data.id, data.name, data.options);
        // The notes of a data set that did not fit are gone now, and the first fit made room for them.
        fitSoon(flow);
        if (previous && useDataStore.getState().loaded !== previous) {
          rememberDataSwap(graphBefore, previous);
          ui.showToast(`${template.name} trains on ${data.name}, which replaced ${previous.sourceName}; undo brings back both the previous graph and ${previous.sourceName}.`);
        }
      }
    },

    clearCanvas() {
      replaceGraph({ nodes: [], edges: [] });
      clearImportedWeights();
      const ui = useUiStore.getState();
      ui.setProjectName('model');
      ui.clearBanner();
      // fitView on an empty graph would wait for the first node and then jump to it.
      void flow.setViewport({ x: 0, y: 0, zoom: 1 }, { duration: 200 });
    },

    openFile(file) {
      return openFiles([file]);
    },

    openFiles,

    saveProject() {
      const name = fileSafeName(useUiStore.getState().projectName);
      download(`${name}.layerlab.json`, serializeProject(makeProject(currentGraph(), collectProjectSections())));
      useUiStore.getState().showToast(`Saved ${name}.layerlab.json`);
    },

    createShareLink() {
      return shareLink(window.location.href, currentGraph());
    },
  };
}

export function useEditorCommands(): EditorCommands {
  const flow = useReactFlow<LayerFlowNode, ShapeFlowEdge>();
  return useMemo(() => createEditorCommands(flow), [flow]);
}
