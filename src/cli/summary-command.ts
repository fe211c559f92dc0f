/** `summary FILE [--json]`: the layers, output shapes and parameter counts of a model. */
import { summarizeGraph, formatSummary, type GraphSummary } from '../graph/summary';
import { inferGraph } from '../graph/infer';
import type { Command } from './command';
import { EXIT_ERRORS, EXIT_OK, EXIT_UNREADABLE } from './command';
import { loadGraphFile } from './load';

/** The `--json` output; its fields are part of the command line contract. */
export interface SummaryJson {
  layers: {
    name: string;
    type: string;
    outputShape: GraphSummary['rows'][number]['outputShape'];
    params: number;
    trainableParams: number;
    nonTrainableParams: number;
  }[];
  totalParams: number;
  trainableParams: number;
  nonTrainableParams: number;
  errors: { nodeId: string; code: string; message: string }[];
}

export function summaryJson(summary: GraphSummary): SummaryJson {
  return {
    layers: summary.rows.map((row) => ({
      name: row.name,
      type: row.type,
      outputShape: row.outputShape,
      params: row.params,
      trainableParams: row.trainableParams,
      nonTrainableParams: row.nonTrainableParams,
    })),
    totalParams: summary.totalParams,
    trainableParams: summary.trainableParams,
    nonTrainableParams: summary.nonTrainableParams,
    errors: summary.errors.map(({ nodeId, code, message }) => ({ nodeId, code, message })),
  };
}

export const summaryCommand: Command = {
  name: 'summary',
  arguments: 'FILE [--json]',
  description: 'Print the layers, output shapes and parameter counts of FILE, a Layerlab project or a Keras / TensorFlow.js model JSON.',
  flags: { '--json': 'Print one JSON object instead of the table.' },
  positionals: ['FILE'],
  async run({ positionals, flags }, io) {
    const loaded = await loadGraphFile(positionals[0]);
    if (!loaded.ok) {
      for (const message of loaded.errors) io.stderr(`error: ${message}\n`);
      return EXIT_UNREADABLE;
    }
    for (const warning of loaded.warnings) io.stderr(`warning: ${warning}\n`);

    const summary = summarizeGraph(loaded.graph, inferGraph(loaded.graph), { name: loaded.modelName });
    io.stdout(flags.has('--json') ? `${JSON.stringify(summaryJson(summary), null, 2)}\n` : formatSummary(summary));
    return summary.errors.length > 0 ? EXIT_ERRORS : EXIT_OK;
  },
};
