import { describe, expect, it } from 'vitest';
import { graphToKerasModel } from '../../src/compile/keras-export';
import { importModelJson } from '../../src/compile/keras-import';
import { inferGraph } from '../../src/graph/infer';
import { TEMPLATES } from '../../src/graph/templates';
import type { Graph } from '../../src/graph/types';
import { graphDifferences, specialGraphs, validRandomGraphs } from './roundtrip-helpers';

/** Valid random graphs per run; about twice as many are generated to find them. */
const RANDOM_GRAPHS = 500;

/** Graph → Keras JSON text → importer → graph. */
function throughKerasJson(graph: Graph): Graph {
  const text = JSON.stringify(graphToKerasModel(graph, 'roundtrip'));
  const imported = importModelJson(text);
  if (!imported.ok) throw new Error(`import failed: ${imported.errors.join('; ')}`);
  return imported.graph;
}

describe('graph → Keras JSON → graph', () => {
  it.each(TEMPLATES.map((template) => [template.id, template] as const))('keeps template %s', (_id, template) => {
    const graph = template.build();
    expect(graphDifferences(graph, throughKerasJson(graph))).toEqual([]);
  });

  it.each(specialGraphs())('keeps a graph with %s', (_name, graph) => {
    expect(inferGraph(graph).errors).toEqual([]);
    expect(graphDifferences(graph, throughKerasJson(graph))).toEqual([]);
  });

  it(`keeps ${RANDOM_GRAPHS} valid random graphs`, () => {
    const graphs = validRandomGraphs(RANDOM_GRAPHS, 20_261);
    expect(graphs).toHaveLength(RANDOM_GRAPHS);

    const failures: string[] = [];
    for (const graph of graphs) {
      let problems: string[];
      try {
        problems = graphDifferences(graph, throughKerasJson(graph));
      } catch (error) {
        problems = [String(error)];
      }
      if (problems.length > 0) failures.push(`${problems.join('; ')}\n  in ${JSON.stringify(graph)}`);
    }
    expect(failures.slice(0, 5)).toEqual([]);
  });

  it('keeps the model name', () => {
    const imported = importModelJson(JSON.stringify(graphToKerasModel(TEMPLATES[0].build(), 'solubility_model')));
    if (!imported.ok) throw new Error(imported.errors.join('; '));
    expect(imported.modelName).toBe('solubility_model');
  });
});
