/**
 * Graph → SVG picture of the canvas: one box per layer with its name, kind, main settings and
 * parameter count, and arrows labelled with the shape that flows along them. Pure string
 * building, so it runs in Node and in a worker; the browser turns the SVG into a PNG.
 */
import { getLayerKind } from '../layers';
import { formatCount, formatShape, formatShapes } from '../layers/format';
import { withDefaults } from '../layers/params';
import type { Category } from '../layers/types';
import { inferGraph, type Inference } from '../graph/infer';
import { indexGraph, topologicalOrder } from '../graph/topology';
import type { Graph, GraphEdge, GraphNode } from '../graph/types';

export interface PictureOptions {
  /** Inference of the graph, when the caller has it already. */
  inference?: Inference;
  /** A title above the graph, e.g. the model name. */
  title?: string;
  /**
   * `positions` places boxes where the canvas shows them and falls back to layers from top to
   * bottom when a node has no position; `layered` always uses the layers. Default `positions`.
   */
  layout?: 'positions' | 'layered';
}

/** Sizes in SVG user units (pixels at 100 %). */
const BOX_WIDTH = 260;
const LINE_HEIGHT = 16;
const BOX_PADDING = 8;
const ROW_GAP = 56;
const COLUMN_GAP = 40;
const MARGIN = 24;
const TITLE_HEIGHT = 28;
/** Length of the arrow below an output box; its shape label sits under it. */
const OUTPUT_ARROW = 20;
const FONT_SIZE = 12;
/** Estimates of the mean advance of one character at FONT_SIZE in a sans-serif font, regular and bold. */
const CHARACTER_WIDTH = 6.8;
const BOLD_CHARACTER_WIDTH = 7.6;
/** Distance from the right edge of the boxes to the first edge routed beside them, and between such edges. */
const SIDE_ROUTE_GAP = 24;

const CATEGORY_COLOURS: Readonly<Record<Category, string>> = {
  input: '#e8f5e9',
  core: '#e3f2fd',
  activation: '#f3e5f5',
  convolutional: '#fff3e0',
  pooling: '#fffde7',
  normalization: '#e0f7fa',
  regularization: '#eceff1',
  reshaping: '#f1f8e9',
  merge: '#fce4ec',
  embedding: '#ede7f6',
  recurrent: '#e8eaf6',
  wrapper: '#efebe9',
  model: '#efebe9',
};

const ERROR_COLOUR = '#c62828';

interface Box {
  node: GraphNode;
  x: number;
  y: number;
  height: number;
  lines: { text: string; bold?: boolean; colour?: string }[];
  fill: string;
  errors: string[];
}

/** Draws the graph as a standalone SVG document. Graphs with errors are drawn too, with the failing boxes in red. */
export function graphToSvg(graph: Graph, options: PictureOptions = {}): string {
  const inference = options.inference ?? inferGraph(graph);
  const boxes = placeBoxes(graph, inference, options.layout ?? 'positions');
  const top = options.title ? TITLE_HEIGHT : 0;

  const minX = Math.min(0, ...boxes.map((box) => box.x));
  const minY = Math.min(0, ...boxes.map((box) => box.y));
  for (const box of boxes) {
    box.x += MARGIN - minX;
    box.y += MARGIN + top - minY;
  }
  const byId = new Map(boxes.map((box) => [box.node.id, box]));
  const edges = drawEdges(graph, byId, inference);
  const width = Math.ceil(Math.max(BOX_WIDTH, edges.right, ...boxes.map((box) => box.x + BOX_WIDTH)) + MARGIN);
  const height = Math.ceil(Math.max(top, edges.bottom, ...boxes.map((box) => box.y + box.height)) + MARGIN);

  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif" font-size="${FONT_SIZE}">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#607d8b"/></marker></defs>',
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
  if (options.title) parts.push(`<text x="${MARGIN}" y="${MARGIN + 4}" font-size="16" font-weight="bold" fill="#263238">${escapeXml(options.title)}</text>`);
  parts.push(...edges.parts);
  parts.push(...boxes.map(drawBox));
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

function placeBoxes(graph: Graph, inference: Inference, layout: 'positions' | 'layered'): Box[] {
  const boxes = graph.nodes.map((node) => describeBox(node, inference));
  const usePositions = layout === 'positions' && graph.nodes.length > 0 && graph.nodes.every((node) => node.position);
  if (usePositions) {
    boxes.forEach((box) => {
      box.x = box.node.position!.x;
      box.y = box.node.position!.y;
    });
    return boxes;
  }

  // Layers from top to bottom: each node one row below the lowest of its inputs.
  const index = indexGraph(graph);
  const { order, blocked } = topologicalOrder(graph, index);
  const row = new Map<string, number>();
  for (const id of [...order, ...blocked]) {
    const sources = (index.incoming.get(id) ?? []).map((edge) => row.get(edge.source) ?? 0);
    row.set(id, sources.length > 0 ? Math.max(...sources) + 1 : 0);
  }

  const rows: Box[][] = [];
  for (const box of boxes) (rows[row.get(box.node.id) ?? 0] ??= []).push(box);
  const widest = Math.max(1, ...rows.map((boxesInRow) => boxesInRow?.length ?? 0));
  let y = 0;
  for (const boxesInRow of rows) {
    if (!boxesInRow) continue;
    const rowWidth = boxesInRow.length * BOX_WIDTH + (boxesInRow.length - 1) * COLUMN_GAP;
    const fullWidth = widest * BOX_WIDTH + (widest - 1) * COLUMN_GAP;
    boxesInRow.forEach((box, column) => {
      box.x = (fullWidth - rowWidth) / 2 + column * (BOX_WIDTH + COLUMN_GAP);
      box.y = y;
    });
    y += Math.max(...boxesInRow.map((box) => box.height)) + ROW_GAP;
  }
  return boxes;
}

function describeBox(node: GraphNode, inference: Inference): Box {
  const kind = getLayerKind(node.kind);
  const result = inference.nodes.get(node.id);
  const errors = inference.errors.filter((error) => error.nodeId === node.id).map((error) => error.message);

  const lines: Box['lines'] = [{ text: `${node.name} · ${node.kind}`, bold: true }];
  const settings = kind ? settingsLine(node, kind) : '';
  if (settings) lines.push({ text: settings });
  if (node.sharedWith) {
    lines.push({ text: 'shared weights' });
  } else if (node.kind !== 'InputLayer') {
    const total = (result?.trainableParams ?? 0) + (result?.nonTrainableParams ?? 0);
    const frozen = result?.nonTrainableParams ? ` (${formatCount(result.nonTrainableParams)} non-trainable)` : '';
    lines.push({ text: `${formatCount(total)} params${frozen}` });
  }
  if (errors.length > 0) lines.push({ text: `error: ${errors[0]}`, colour: ERROR_COLOUR });

  return {
    node,
    x: 0,
    y: 0,
    height: lines.length * LINE_HEIGHT + 2 * BOX_PADDING,
    lines,
    fill: kind ? CATEGORY_COLOURS[kind.category] : '#ffffff',
    errors,
  };
}

function settingsLine(node: GraphNode, kind: NonNullable<ReturnType<typeof getLayerKind>>): string {
  if (node.kind === 'InputLayer') {
    const params = withDefaults(kind, node.params ?? {});
    const shape = Array.isArray(params.shape) ? formatShape([null, ...(params.shape as (number | null)[])]) : '';
    return `${shape} ${String(params.dtype ?? '')}`.trim();
  }
  return kind.summarize ? kind.summarize(withDefaults(kind, node.params ?? {})) : '';
}

/** Cuts text that would overflow a box, ending it with an ellipsis. */
function fitText(text: string, bold: boolean): string {
  const maxCharacters = Math.floor((BOX_WIDTH - 2 * BOX_PADDING) / (bold ? BOLD_CHARACTER_WIDTH : CHARACTER_WIDTH));
  return text.length <= maxCharacters ? text : `${text.slice(0, maxCharacters - 1)}…`;
}

function drawBox(box: Box): string {
  const stroke = box.errors.length > 0 ? ERROR_COLOUR : '#90a4ae';
  const title = box.errors.length > 0 ? `<title>${escapeXml(box.errors.join('\n'))}</title>` : '';
  const texts = box.lines.map((line, i) => {
    const y = box.y + BOX_PADDING + (i + 1) * LINE_HEIGHT - 4;
    const weight = line.bold ? ' font-weight="bold"' : '';
    return `<text x="${box.x + BOX_PADDING}" y="${y}"${weight} fill="${line.colour ?? '#263238'}">${escapeXml(fitText(line.text, line.bold === true))}</text>`;
  });
  return [
    `<g data-node-id="${escapeXml(box.node.id)}">${title}`,
    `<rect x="${box.x}" y="${box.y}" width="${BOX_WIDTH}" height="${box.height}" rx="6" fill="${box.fill}" stroke="${stroke}" stroke-width="${box.errors.length > 0 ? 2 : 1}"/>`,
    ...texts,
    '</g>',
  ].join('\n');
}

interface DrawnEdges {
  parts: string[];
  /** The largest x and y that the edges and their labels reach. */
  right: number;
  bottom: number;
}

/**
 * Arrows from the bottom of each source box to the top of its target, spread along the box
 * edges when a box has several, each labelled with its shape. An arrow whose straight course
 * would cross another box, such as a skip connection, runs beside the boxes on the right
 * instead. An output box gets a short arrow below it with its output shape.
 */
function drawEdges(graph: Graph, boxes: Map<string, Box>, inference: Inference): DrawnEdges {
  const drawn: DrawnEdges = { parts: [], right: 0, bottom: 0 };
  const allBoxes = [...boxes.values()];
  const ends = graph.edges.flatMap((edge) => {
    const source = boxes.get(edge.source);
    const target = boxes.get(edge.target);
    return source && target ? [{ edge, source, target }] : [];
  });

  // An edge goes beside the boxes when the line between the box centres crosses another box.
  const centre = (box: Box) => box.x + BOX_WIDTH / 2;
  const blockersOf = ({ source, target }: (typeof ends)[number]) =>
    allBoxes.filter((box) => box !== source && box !== target && crosses(box, Math.min(centre(source), centre(target)), Math.max(centre(source), centre(target)), source.y + source.height, target.y));
  const routed = ends.map((end) => ({ ...end, blockers: blockersOf(end) }));

  // Straight edges spread along the bottom of their source and the top of their target.
  const straight = routed.filter((end) => end.blockers.length === 0).map((end) => end.edge);
  const anchor = (box: Box, edges: GraphEdge[], edge: GraphEdge) => box.x + (BOX_WIDTH * (edges.indexOf(edge) + 1)) / (edges.length + 1);
  const sharing = (key: 'source' | 'target', id: string) => straight.filter((edge) => edge[key] === id).sort((a, b) => (a.targetInput ?? 0) - (b.targetInput ?? 0));

  let sideRoutes = 0;
  for (const { edge, source, target, blockers } of routed) {
    const shape = inference.edgeShapes.get(edge.id);
    const label = shape ? formatShape(shape) : '?';

    if (blockers.length === 0) {
      const x1 = anchor(source, sharing('source', edge.source), edge);
      const y1 = source.y + source.height;
      const x2 = anchor(target, sharing('target', edge.target), edge);
      const y2 = target.y;
      const bend = Math.max(24, Math.abs(y2 - y1) / 2);
      drawn.parts.push(`<path d="M ${x1} ${y1} C ${x1} ${y1 + bend}, ${x2} ${y2 - bend}, ${x2} ${y2}" fill="none" stroke="#607d8b" stroke-width="1.5" marker-end="url(#arrow)" data-edge-id="${escapeXml(edge.id)}"/>`);
      drawn.parts.push(shapeLabel(label, (x1 + x2) / 2, (y1 + y2) / 2, 'middle'));
      continue;
    }

    const right = Math.max(source.x, target.x, ...blockers.map((box) => box.x)) + BOX_WIDTH;
    const routeX = right + SIDE_ROUTE_GAP * (1 + sideRoutes++);
    const startY = source.y + source.height / 2;
    const endY = target.y + target.height / 2;
    drawn.parts.push(`<path d="M ${source.x + BOX_WIDTH} ${startY} H ${routeX} V ${endY} H ${target.x + BOX_WIDTH}" fill="none" stroke="#607d8b" stroke-width="1.5" marker-end="url(#arrow)" data-edge-id="${escapeXml(edge.id)}"/>`);
    drawn.parts.push(shapeLabel(label, routeX + 4, (startY + endY) / 2, 'start'));
    drawn.right = Math.max(drawn.right, routeX + 8 + labelWidth(label));
  }

  for (const id of inference.outputs) {
    const box = boxes.get(id);
    const shapes = inference.nodes.get(id)?.outputShapes;
    if (!box || !shapes) continue;
    const x = box.x + BOX_WIDTH / 2;
    const y = box.y + box.height;
    drawn.parts.push(`<path d="M ${x} ${y} L ${x} ${y + OUTPUT_ARROW}" fill="none" stroke="#607d8b" stroke-width="1.5" marker-end="url(#arrow)"/>`);
    drawn.parts.push(shapeLabel(formatShapes(shapes), x, y + OUTPUT_ARROW + 10, 'middle'));
    drawn.bottom = Math.max(drawn.bottom, y + OUTPUT_ARROW + 18);
  }
  return drawn;
}

/** Checks whether a box overlaps the band from x `left` to `right` between heights `top` and `bottom`. */
function crosses(box: Box, left: number, right: number, top: number, bottom: number): boolean {
  const low = Math.min(top, bottom);
  const high = Math.max(top, bottom);
  return box.x < right && box.x + BOX_WIDTH > left && box.y < high && box.y + box.height > low;
}

function labelWidth(text: string): number {
  return text.length * CHARACTER_WIDTH * 0.9 + 8;
}

/** Draws a shape label on a white background, centred on x or starting at it. */
function shapeLabel(text: string, x: number, y: number, anchor: 'middle' | 'start'): string {
  const width = labelWidth(text);
  const left = anchor === 'middle' ? x - width / 2 : x;
  const textX = anchor === 'middle' ? x : x + 4;
  return [
    `<rect x="${left}" y="${y - 8}" width="${width}" height="16" rx="3" fill="#ffffff" fill-opacity="0.9"/>`,
    `<text x="${textX}" y="${y + 4}" text-anchor="${anchor}" font-size="11" fill="#455a64">${escapeXml(text)}</text>`,
  ].join('\n');
}

/** Text for XML content and attribute values. */
function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
