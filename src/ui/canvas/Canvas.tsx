/**
 * The canvas: React Flow over the graph store. The graph and the selection live in the stores.
 * This component maps them to React Flow nodes and edges, and turns React Flow's changes back
 * into edits. Node sizes measured by React Flow stay local, because nothing else needs them.
 */
import {
  Background,
  BackgroundVariant,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  useStore,
  type Connection,
  type Edge,
  type EdgeChange,
  type NodeChange,
  type OnConnectEnd,
  type ReactFlowState,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import type { GraphEdge, GraphNode } from '../../graph/types';
import { getLayerKind } from '../../layers';
import { addLayer, connectLayers, deleteItems, moveLayers } from '../../store/actions';
import { currentGraph, useGraphStore } from '../../store/graph-store';
import { connect } from '../../graph/edit';
import { modelErrorNodeIds, useGraphStructure, useInference } from '../../store/inference';
import { useUiStore } from '../../store/ui-store';
import { DEFAULT_NODE_SIZE } from '../../project/layout';
import { CANVAS_ID, LAYER_DRAG_TYPE } from './constants';
import { anyNodeInView, fitReadable, MIN_ZOOM } from './fit';
import type { LayerFlowNode, LayerNodeData, ShapeFlowEdge } from './flow-types';
import { LayerNode } from './LayerNode';
import { ShapeEdge } from './ShapeEdge';


const nodeTypes = { layer: LayerNode };
const edgeTypes = { shape: ShapeEdge };
const DELETE_KEYS = ['Delete', 'Backspace'];
/**
 * Checks whether part of the graph lies outside the canvas. The overview map shows only then, as
 * it would otherwise cover the notes of the top layers without showing anything new.
 */
function graphLeavesView(state: ReactFlowState): boolean {
  const [panX, panY, zoom] = state.transform;
  for (const node of state.nodeLookup.values()) {
    const { x, y } = node.internals.positionAbsolute;
    const width = node.measured.width ?? DEFAULT_NODE_SIZE.width;
    const height = node.measured.height ?? DEFAULT_NODE_SIZE.height;
    const left = x * zoom + panX;
    const top = y * zoom + panY;
    if (left < 0 || top < 0 || left + width * zoom > state.width || top + height * zoom > state.height) return true;
  }
  return false;
}

/** Clears a rejection still on screen: a new connection makes it out of date. */
function clearErrorToast(): void {
  const ui = useUiStore.getState();
  if (ui.toast?.tone === 'error') ui.clearToast();
}

/**
 * Checks a connection while it is dragged, so that the line and the handle under the pointer
 * show whether the drop will be accepted before the button is released.
 */
function isValidConnection(connection: Connection | Edge): boolean {
  return connect(currentGraph(), connection.source, connection.target).ok;
}

/** Keys that add a clicked layer to the selection: Shift as in most editors, and Ctrl or Cmd. */
const MULTI_SELECT_KEYS = ['Shift', 'Control', 'Meta'];
// Props React Flow copies into its store when they change: constants, so that a redraw copies none.
const FIT_VIEW_OPTIONS = { padding: 0.2, maxZoom: 1 };

type Size = { width: number; height: number };

function pointerOf(event: MouseEvent | TouchEvent): { x: number; y: number } | undefined {
  if ('clientX' in event) return { x: event.clientX, y: event.clientY };
  const touch = event.changedTouches[0];
  return touch ? { x: touch.clientX, y: touch.clientY } : undefined;
}

const CATEGORY_COLOURS: Record<string, string> = {
  input: '#0f766e',
  core: '#2563eb',
  activation: '#7c3aed',
  convolutional: '#c2410c',
  pooling: '#b45309',
  normalization: '#0e7490',
  regularization: '#64748b',
  reshaping: '#4d7c0f',
  merge: '#be185d',
  embedding: '#9333ea',
  recurrent: '#0369a1',
  wrapper: '#475569',
  model: '#1e293b',
};

const ERROR_COLOUR = '#dc2626';

function categoryColour(node: LayerFlowNode): string {
  return CATEGORY_COLOURS[getLayerKind(node.data.kind)?.category ?? ''] ?? '#94a3b8';
}

const ORIGIN = { x: 0, y: 0 };

/** Data objects of nodes, per node id; a node's kind never changes. */
const dataCache = new Map<string, LayerNodeData>();

function nodeData(layer: GraphNode): LayerNodeData {
  const cached = dataCache.get(layer.id);
  if (cached?.kind === layer.kind) return cached;
  const data = { kind: layer.kind };
  dataCache.set(layer.id, data);
  return data;
}

/** React Flow nodes per node id, reused while position, selection and size stay the same. */
const nodeCache = new Map<string, LayerFlowNode>();

/** Returns the previous React Flow node when nothing it carries changed, so React Flow skips it. */
function reuseNode(next: LayerFlowNode): LayerFlowNode {
  const previous = nodeCache.get(next.id);
  if (
    previous &&
    previous.data === next.data &&
    previous.position === next.position &&
    previous.selected === next.selected &&
    previous.measured === next.measured &&
    previous.ariaLabel === next.ariaLabel
  ) {
    return previous;
  }
  nodeCache.set(next.id, next);
  return next;
}

/** The last nodes array handed to React Flow; kept while every node in it is reused. */
let lastNodes: LayerFlowNode[] = [];

function reuseNodes(next: LayerFlowNode[]): LayerFlowNode[] {
  if (next.length === lastNodes.length && next.every((node, index) => node === lastNodes[index])) return lastNodes;
  lastNodes = next;
  return next;
}

/** React Flow edges per graph edge object, reused while selection and error state stay the same. */
const edgeCache = new WeakMap<GraphEdge, ShapeFlowEdge>();

/** Returns the previous React Flow edge when nothing it carries changed, so React Flow skips it. */
function reuseEdge(edge: GraphEdge, next: ShapeFlowEdge): ShapeFlowEdge {
  const previous = edgeCache.get(edge);
  if (previous && previous.selected === next.selected && previous.data?.error === next.data?.error && previous.ariaLabel === next.ariaLabel) return previous;
  edgeCache.set(edge, next);
  return next;
}

/** Returns the ids of `current` with React Flow's select changes applied: id to selected or not. */
function applySelection(current: readonly string[], changes: ReadonlyMap<string, boolean>): string[] {
  const next = new Set(current);
  for (const [id, selected] of changes) {
    if (selected) next.add(id);
    else next.delete(id);
  }
  return [...next];
}

export function Canvas() {
  const graph = useGraphStore((state) => state.graph);
  // The same object while a drag only moves layers, for the work below that positions do not affect.
  const structure = useGraphStructure();
  const inference = useInference();
  const selectedNodeIds = useUiStore((state) => state.selectedNodeIds);
  const selectedEdgeIds = useUiStore((state) => state.selectedEdgeIds);
  const [sizes, setSizes] = useState<Record<string, Size>>({});
  const rejectedAt = useRef<number | null>(null);
  const flow = useReactFlow<LayerFlowNode, ShapeFlowEdge>();

  // A value that changes only when the set of layers with errors does, so that an edit that
  // changes shapes alone keeps the edges array and React Flow skips its edge update. Mismatches
  // with the data set leave the edges as they are: the model itself may be fine.
  const errorNodeIds = useMemo(() => JSON.stringify(modelErrorNodeIds(inference).sort()), [inference]);
  const failedNodes = useMemo(() => new Set<string>(JSON.parse(errorNodeIds) as string[]), [errorNodeIds]);
  const partlyOutOfView = useStore(graphLeavesView);

  // An undo that removes the layers in view (say, pasted copies the view had scrolled to) would
  // leave an empty-looking canvas, so the view then moves back to the model.
  useEffect(() => {
    if (structure.nodes.length === 0) return;
    const frame = requestAnimationFrame(() => {
      if (!anyNodeInView(flow)) fitReadable(flow);
    });
    return () => cancelAnimationFrame(frame);
  }, [structure, flow]);

  const minimapColour = useCallback((node: LayerFlowNode) => (failedNodes.has(node.id) ? ERROR_COLOUR : categoryColour(node)), [failedNodes]);

  const nodes = useMemo<LayerFlowNode[]>(() => {
    const selected = new Set(selectedNodeIds);
    return reuseNodes(
      graph.nodes.map((layer) =>
        reuseNode({
          id: layer.id,
          type: 'layer',
          position: layer.position ?? ORIGIN,
          data: nodeData(layer),
          // The name that screen readers give a layer focused with Tab.
          ariaLabel: `${layer.kind} layer ${layer.name}`,
          selected: selected.has(layer.id),
          measured: sizes[layer.id],
        }),
      ),
    );
  }, [graph, selectedNodeIds, sizes]);

  const graphEdges = graph.edges;
  // Layer names for the edges' accessible names, as a string that stays equal while an edit
  // changes anything but names, so the edges array is kept.
  const namesKey = useMemo(() => JSON.stringify(structure.nodes.map((node) => [node.id, node.name])), [structure.nodes]);
  const edges = useMemo<ShapeFlowEdge[]>(() => {
    const names = new Map(JSON.parse(namesKey) as [string, string][]);
    const selected = new Set(selectedEdgeIds);
    return graphEdges.map((edge) =>
      reuseEdge(edge, {
        id: edge.id,
        source: edge.source,
        target: edge.target,
        type: 'shape',
        ariaLabel: `Connection from ${names.get(edge.source) ?? edge.source} to ${names.get(edge.target) ?? edge.target}`,
        selected: selected.has(edge.id),
        data: { error: failedNodes.has(edge.source) || failedNodes.has(edge.target) },
      }),
    );
  }, [graphEdges, failedNodes, selectedEdgeIds, namesKey]);

  const onNodesChange = useCallback((changes: NodeChange<LayerFlowNode>[]) => {
    const positions = new Map<string, { x: number; y: number }>();
    const resized: Record<string, Size> = {};
    const selection = new Map<string, boolean>();
    let dragging = false;
    for (const change of changes) {
      if (change.type === 'position' && change.position) {
        positions.set(change.id, change.position);
        if (change.dragging) dragging = true;
      } else if (change.type === 'dimensions' && change.dimensions) {
        resized[change.id] = change.dimensions;
      } else if (change.type === 'select') {
        selection.set(change.id, change.selected);
      }
    }

    if (Object.keys(resized).length > 0) {
      setSizes((previous) => {
        const changed = Object.entries(resized).some(
          ([id, size]) => previous[id]?.width !== size.width || previous[id]?.height !== size.height,
        );
        return changed ? { ...previous, ...resized } : previous;
      });
    }
    if (positions.size > 0) {
      if (dragging) useGraphStore.getState().beginGesture();
      moveLayers(positions);
    }
    if (selection.size > 0) {
      const ui = useUiStore.getState();
      ui.setSelection(applySelection(ui.selectedNodeIds, selection), ui.selectedEdgeIds);
    }
  }, []);

  const onEdgesChange = useCallback((changes: EdgeChange<ShapeFlowEdge>[]) => {
    const selection = new Map<string, boolean>();
    for (const change of changes) {
      if (change.type === 'select') selection.set(change.id, change.selected);
    }
    if (selection.size === 0) return;
    const ui = useUiStore.getState();
    ui.setSelection(ui.selectedNodeIds, applySelection(ui.selectedEdgeIds, selection));
  }, []);

  const endGesture = useCallback(() => useGraphStore.getState().endGesture(), []);

  const onDelete = useCallback(({ nodes: deleted, edges: deletedEdges }: { nodes: LayerFlowNode[]; edges: ShapeFlowEdge[] }) => {
    const deletedIds = new Set(deleted.map((node) => node.id));
    const hadFocus = deleted.some((node) => document.activeElement?.closest(`.react-flow__node[data-id="${CSS.escape(node.id)}"]`));
    // A keyboard user who deleted the focused layer goes on from a layer that fed it, or any left.
    const before = currentGraph();
    const feeder = before.edges.find((edge) => deletedIds.has(edge.target) && !deletedIds.has(edge.source))?.source;
    const next = feeder ?? before.nodes.find((node) => !deletedIds.has(node.id))?.id;
    deleteItems([...deletedIds], deletedEdges.map((edge) => edge.id));
    if (hadFocus && next) {
      requestAnimationFrame(() => document.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(next)}"]`)?.focus());
    }
  }, []);

  const onConnect = useCallback((connection: Connection) => {
    const result = connectLayers(connection.source, connection.target);
    if (result.ok) {
      rejectedAt.current = null;
      clearErrorToast();
      return;
    }
    useUiStore.getState().showToast(result.reason, 'error');
    rejectedAt.current = useUiStore.getState().toast?.key ?? null;
  }, []);

  // A drop on a handle that isValidConnection rejected reaches only onConnectEnd, which shows the
  // reason at the pointer. A rejection from onConnect, which React Flow calls first, moves there.
  const onConnectEnd = useCallback<OnConnectEnd>((event, state) => {
    const ui = useUiStore.getState();
    if (state.isValid === false && state.fromNode && state.toNode) {
      const fromSource = state.fromHandle?.type !== 'target';
      const [source, target] = fromSource ? [state.fromNode.id, state.toNode.id] : [state.toNode.id, state.fromNode.id];
      const result = connect(currentGraph(), source, target);
      if (!result.ok) ui.showToast(result.reason, 'error', pointerOf(event));
      return;
    }
    if (rejectedAt.current === null || ui.toast?.key !== rejectedAt.current) return;
    rejectedAt.current = null;
    ui.moveToast(pointerOf(event));
  }, []);

  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(LAYER_DRAG_TYPE)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const className = event.dataTransfer.getData(LAYER_DRAG_TYPE);
      if (!className || !getLayerKind(className)) return;
      event.preventDefault();
      const point = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      addLayer(className, {
        x: Math.round(point.x - DEFAULT_NODE_SIZE.width / 2),
        y: Math.round(point.y - DEFAULT_NODE_SIZE.height / 2),
      });
    },
    [flow],
  );

  return (
    <div className="canvas" id={CANVAS_ID} onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow<LayerFlowNode, ShapeFlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStop={endGesture}
        onSelectionDragStop={endGesture}
        onDelete={onDelete}
        onConnect={onConnect}
        onConnectStart={clearErrorToast}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        deleteKeyCode={DELETE_KEYS}
        multiSelectionKeyCode={MULTI_SELECT_KEYS}
        fitView
        fitViewOptions={FIT_VIEW_OPTIONS}
        minZoom={MIN_ZOOM}
        maxZoom={2.5}
        aria-label="Model graph"
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1.2} color="#cbd5e1" />
        <Controls position="bottom-left" />
        {partlyOutOfView && (
          <MiniMap<LayerFlowNode> position="top-left" pannable zoomable nodeColor={minimapColour} ariaLabel="Overview of the graph" />
        )}
      </ReactFlow>
      {graph.nodes.length === 0 && (
        <p className="canvas__empty">
          Drag a layer here from the palette, or press Enter on one.
          <br />
          Start with an InputLayer, or open a template.
        </p>
      )}
    </div>
  );
}
