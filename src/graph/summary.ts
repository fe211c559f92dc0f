/**
 * The model summary: one row per layer with its output shape, parameter count and inputs, and
 * the text table that tf.keras 2 `model.summary()` prints. The command line prints the text, and
 * the editor shows the rows.
 */
import { formatCount, formatShape, formatShapes } from '../layers/format';
import { inferGraph, type Inference } from './infer';
import { indexGraph } from './topology';
import type { Graph, GraphError, GraphNode, Shape } from './types';

export interface SummaryRow {
  /** The node that owns the layer; for a shared layer, the node the other calls point at. */
  nodeId: string;
  /** Every node that calls this layer, the owner first; one entry unless the layer is shared. */
  callNodeIds: string[];
  name: string;
  /** Keras class name, e.g. `Conv1D`. */
  type: string;
  /** One shape, a list of shapes for a layer with several outputs, or `null` when unknown. */
  outputShape: Shape | Shape[] | null;
  /** Whether the calls of a shared layer have different output shapes (Keras prints "multiple"). */
  multipleShapes: boolean;
  params: number;
  trainableParams: number;
  nonTrainableParams: number;
  /** Inputs as Keras lists them: `layer[call][output]`, e.g. `conv1d[0][0]`, for every call. */
  connectedTo: string[];
}

export interface GraphSummary {
  /** Model name printed above the table, `model` unless given. */
  name: string;
  /** Rows in topological order; InputLayer rows included, with 0 parameters. */
  rows: SummaryRow[];
  /** One chain without shared layers, so the table needs no "Connected to" column. */
  sequential: boolean;
  totalParams: number;
  trainableParams: number;
  nonTrainableParams: number;
  errors: GraphError[];
}

export interface SummaryOptions {
  name?: string;
}

/** Builds the summary of a graph; pass the inference when it is already at hand. */
export function summarizeGraph(graph: Graph, inference: Inference = inferGraph(graph), options: SummaryOptions = {}): GraphSummary {
  const index = indexGraph(graph);
  const ownerOf = (node: GraphNode): GraphNode => (node.sharedWith ? index.nodes.get(node.sharedWith) : undefined) ?? node;

  // The calls of each layer in topological order; the call number is Keras's node index.
  const calls = new Map<string, string[]>();
  const callIndex = new Map<string, number>();
  for (const id of inference.order) {
    const node = index.nodes.get(id);
    if (!node) continue;
    const owner = ownerOf(node).id;
    const list = calls.get(owner) ?? [];
    callIndex.set(id, list.length);
    list.push(id);
    calls.set(owner, list);
  }

  const describeInput = (source: string, output: number): string => {
    const node = index.nodes.get(source)!;
    return `${ownerOf(node).name}[${callIndex.get(source) ?? 0}][${output}]`;
  };

  const rows: SummaryRow[] = [];
  for (const [ownerId, callNodeIds] of calls) {
    const owner = index.nodes.get(ownerId)!;
    const shapes = callNodeIds.map((id) => inference.nodes.get(id)?.outputShapes ?? null);
    let trainableParams = 0;
    let nonTrainableParams = 0;
    for (const id of callNodeIds) {
      trainableParams += inference.nodes.get(id)?.trainableParams ?? 0;
      nonTrainableParams += inference.nodes.get(id)?.nonTrainableParams ?? 0;
    }
    const connectedTo = callNodeIds.flatMap((id) => (index.incoming.get(id) ?? []).map((edge) => describeInput(edge.source, edge.sourceOutput ?? 0)));

    rows.push({
      nodeId: ownerId,
      callNodeIds,
      name: owner.name,
      type: owner.kind,
      outputShape: collapseShapes(shapes[0]),
      multipleShapes: shapes.some((shape) => JSON.stringify(shape) !== JSON.stringify(shapes[0])),
      params: trainableParams + nonTrainableParams,
      trainableParams,
      nonTrainableParams,
      connectedTo,
    });
  }

  return {
    name: options.name ?? 'model',
    rows,
    sequential: inference.sequential && !graph.nodes.some((node) => node.sharedWith),
    totalParams: inference.totalParams,
    trainableParams: inference.trainableParams,
    nonTrainableParams: inference.nonTrainableParams,
    errors: inference.errors,
  };
}

function collapseShapes(shapes: Shape[] | null): Shape | Shape[] | null {
  if (shapes === null) return null;
  return shapes.length === 1 ? shapes[0] : shapes;
}

/** Returns whether an output shape is a list of shapes rather than one shape. */
export function isShapeList(shape: Shape | Shape[]): shape is Shape[] {
  return shape.length > 0 && Array.isArray(shape[0]);
}

/** Formats a row's output shape for the table; Keras 2 puts an InputLayer's shape in brackets. */
export function formatOutputShape(row: SummaryRow): string {
  if (row.multipleShapes) return 'multiple';
  if (row.outputShape === null) return '?';
  if (isShapeList(row.outputShape)) return formatShapes(row.outputShape);
  const text = formatShape(row.outputShape);
  return row.type === 'InputLayer' ? `[${text}]` : text;
}

/**
 * Formats the summary as the tf.keras 2 `print_summary` does in the versions that end each row
 * with a blank line and print totals with thousands separators: 65 columns for a chain, 98 with a
 * "Connected to" column otherwise, and long cells wrapped the same way. Later 2.x versions add
 * sizes in bytes to the totals. Trailing spaces are trimmed, and errors follow the table.
 */
export function formatSummary(summary: GraphSummary): string {
  const lineLength = summary.sequential ? 65 : 98;
  const fractions = summary.sequential ? [0.45, 0.85, 1] : [0.33, 0.55, 0.67, 1];
  const positions = fractions.map((fraction) => Math.floor(lineLength * fraction));
  const header = ['Layer (type)', 'Output Shape', 'Param #', 'Connected to'].slice(0, positions.length);

  const lines = [`Model: "${summary.name}"`, '_'.repeat(lineLength), ...wrapRow(header, positions), '='.repeat(lineLength)];
  for (const row of summary.rows) {
    const fields = [`${row.name} (${row.type})`, formatOutputShape(row), String(row.params)];
    if (!summary.sequential) fields.push(pythonList(row.connectedTo));
    lines.push(...wrapRow(fields, positions), '');
  }
  lines.push(
    '='.repeat(lineLength),
    `Total params: ${formatCount(summary.totalParams)}`,
    `Trainable params: ${formatCount(summary.trainableParams)}`,
    `Non-trainable params: ${formatCount(summary.nonTrainableParams)}`,
    '_'.repeat(lineLength),
  );

  if (summary.errors.length > 0) {
    lines.push('', `Errors (${summary.errors.length}):`, ...summary.errors.map((error) => `  ${error.message}`));
  }
  return lines.map((line) => line.trimEnd()).join('\n') + '\n';
}

/**
 * Lays one table row out over as many lines as its cells need. A cell longer than its column
 * continues on the next line, broken after "),", "},", "]," or "'," when one of them fits (Keras's
 * `print_row`).
 */
function wrapRow(fields: string[], positions: number[]): string[] {
  const left = [...fields];
  const lines: string[] = [];
  while (left.some((cell) => cell.length > 0)) {
    let line = '';
    left.forEach((cell, column) => {
      const start = column > 0 ? positions[column - 1] : 0;
      const end = positions[column];
      // Two spaces separate columns; the last column needs none.
      const gap = column !== positions.length - 1 ? 2 : 0;
      let cutoff = end - start - gap;
      let fit = cell.slice(0, cutoff);
      const breaks = ['),', '},', '],', "',"].filter((mark) => fit.includes(mark)).map((mark) => fit.indexOf(mark) + mark.length);
      if (breaks.length > 0) {
        cutoff = Math.min(...breaks);
        fit = fit.slice(0, cutoff);
      }
      if (column === 0) line += ' ';
      line += fit + ' '.repeat(gap);
      left[column] = cell.slice(cutoff);
      line += ' '.repeat(Math.max(0, end - line.length));
    });
    lines.push(line);
  }
  return lines;
}

/** Writes a list of strings as Python's `str(list)` does: `['input_1[0][0]', 'dense[0][0]']`. */
function pythonList(items: string[]): string {
  return `[${items.map(pythonString).join(', ')}]`;
}

function pythonString(text: string): string {
  if (text.includes("'") && !text.includes('"')) return `"${text}"`;
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
