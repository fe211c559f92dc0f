/**
 * Editor commands that combine the graph and ui slices: each graph change is one call to
 * `applyEdit`, so it is one undo step, and the selection follows what the edit created.
 */
import {
  addNode,
  applyFix,
  connect,
  copyFragment,
  deleteElements,
  insertAfter,
  moveNodes,
  pasteFragment,
  renameNode,
  setParam,
  type ConnectResult,
  type Position,
} from '../graph/edit';
import type { Graph, GraphFix, ParamValue } from '../graph/types';
import { freeOffset } from '../project/layout';
import { currentGraph, useGraphStore } from './graph-store';
import { useUiStore } from './ui-store';

function edit(update: (graph: Graph) => Graph, mergeKey?: string): void {
  useGraphStore.getState().applyEdit(update, mergeKey);
}

/** Adds a layer of `className` at `position` (top-left corner, flow coordinates) and selects it. */
export function addLayer(className: string, position: Position): string {
  let nodeId = '';
  edit((graph) => {
    const result = addNode(graph, className, position);
    nodeId = result.nodeId;
    return result.graph;
  });
  useUiStore.getState().selectNodes([nodeId]);
  return nodeId;
}

/**
 * Adds a layer of `className` right after the layer `afterId`, connected to it, and selects it.
 * Returns the new layer's id, or an empty string when that kind takes no input.
 */
export function addLayerAfter(className: string, afterId: string): string {
  const result = insertAfter(currentGraph(), afterId, className);
  if (result.nodeId === '') return '';
  edit(() => result.graph);
  useUiStore.getState().selectNodes([result.nodeId]);
  return result.nodeId;
}

/** Connects two layers, or returns why not; the graph is unchanged on rejection. */
export function connectLayers(sourceId: string, targetId: string): ConnectResult {
  const result = connect(currentGraph(), sourceId, targetId);
  if (result.ok) edit(() => result.graph);
  return result;
}

export function deleteItems(nodeIds: string[], edgeIds: string[]): void {
  edit((graph) => deleteElements(graph, nodeIds, edgeIds));
  const ui = useUiStore.getState();
  const deadNodes = new Set(nodeIds);
  const deadEdges = new Set(edgeIds);
  ui.setSelection(
    ui.selectedNodeIds.filter((id) => !deadNodes.has(id)),
    ui.selectedEdgeIds.filter((id) => !deadEdges.has(id)),
  );
}

export function deleteSelection(): void {
  const { selectedNodeIds, selectedEdgeIds } = useUiStore.getState();
  deleteItems(selectedNodeIds, selectedEdgeIds);
}

/** Copies the selected layers and the connections among them. Returns how many layers were copied. */
export function copySelection(): number {
  const ui = useUiStore.getState();
  if (ui.selectedNodeIds.length === 0) return 0;
  ui.setClipboard(copyFragment(currentGraph(), ui.selectedNodeIds));
  return ui.selectedNodeIds.length;
}

/** Pastes the clipboard with fresh ids and names and selects the copies. Returns their ids. */
export function pasteClipboard(): string[] {
  const ui = useUiStore.getState();
  if (!ui.clipboard || ui.clipboard.nodes.length === 0) return [];
  let nodeIds: string[] = [];
  const fragment = ui.clipboard;
  edit((graph) => {
    // The copies go where they cover no layer, so the originals and their labels stay readable.
    const result = pasteFragment(graph, fragment, freeOffset(graph, fragment.nodes));
    nodeIds = result.nodeIds;
    return result.graph;
  });
  ui.selectNodes(nodeIds);
  return nodeIds;
}

export function selectAll(): void {
  const graph = currentGraph();
  useUiStore.getState().selectNodes(
    graph.nodes.map((node) => node.id),
    graph.edges.map((edge) => edge.id),
  );
}

export function applyGraphFix(fix: GraphFix): void {
  edit((graph) => applyFix(graph, fix));
}

/** Sets one parameter; quick successive changes of the same field form one undo step. */
export function setLayerParam(nodeId: string, param: string, value: ParamValue): void {
  edit((graph) => setParam(graph, nodeId, param, value), `param:${nodeId}:${param}`);
}

export function renameLayer(nodeId: string, name: string): void {
  edit((graph) => renameNode(graph, nodeId, name), `name:${nodeId}`);
}

/** Moves layers; during a gesture the moves form one undo step when the gesture ends. */
export function moveLayers(positions: ReadonlyMap<string, Position>): void {
  edit((graph) => moveNodes(graph, positions));
}

/** Replaces the whole graph as one undo step and clears the selection. */
export function replaceGraph(graph: Graph): void {
  edit(() => graph);
  useUiStore.getState().selectNodes([]);
}
