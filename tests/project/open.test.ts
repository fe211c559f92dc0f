import { describe, expect, it } from 'vitest';
import { graphToKerasModel } from '../../src/compile/keras-export';
import { inferGraph } from '../../src/graph/infer';
import { getTemplate } from '../../src/graph/templates';
import { openModelText, projectNameFromFile } from '../../src/project/open';
import { makeProject, serializeProject } from '../../src/project/schema';
import type { Graph } from '../../src/graph/types';
import { chain } from '../helpers/graph-builders';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests break the JSON on purpose
function savedMlp(): any {
  return JSON.parse(serializeProject(makeProject(getTemplate('mlp-2d')!.build())));
}

describe('openModelText', () => {
  it('opens a saved project as it was', async () => {
    const graph = getTemplate('residual')!.build();
    const result = await openModelText(serializeProject(makeProject(graph)), 'residual.layerlab.json');
    expect(result).toMatchObject({ ok: true, source: 'project', name: 'residual', notices: [] });
    if (result.ok) expect(result.graph).toEqual(graph);
  });

  it('lays out a project without positions', async () => {
    const graph = getTemplate('mlp-2d')!.build();
    for (const node of graph.nodes) delete node.position;
    const result = await openModelText(JSON.stringify(makeProject(graph)), 'mlp.json');
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.graph.nodes.every((node) => node.position !== undefined)).toBe(true);
  });

  it('notes a migrated project', async () => {
    const result = await openModelText(JSON.stringify(getTemplate('mlp-2d')!.build()), 'old.json');
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.notices[0]).toContain('version 0 project');
  });

  it('imports a Keras model JSON with the same totals', async () => {
    const graph = getTemplate('solubility')!.build();
    const text = JSON.stringify(graphToKerasModel(graph));
    const result = await openModelText(text, 'model.json');
    expect(result).toMatchObject({ ok: true, source: 'keras' });
    if (!result.ok) return;
    expect(inferGraph(result.graph).totalParams).toBe(60_929);
    expect(result.graph.nodes.every((node) => node.position !== undefined)).toBe(true);
  });

  it('says which field of a project is invalid', async () => {
    const project = JSON.parse(serializeProject(makeProject(getTemplate('mlp-2d')!.build())));
    project.graph.nodes[2].params = 'units: 16';
    const result = await openModelText(JSON.stringify(project), 'broken.layerlab.json');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.message).toContain('broken.layerlab.json');
      expect(result.message).toContain('graph.nodes[2].params');
      expect(result.message).toContain('"units: 16"');
    }
  });

  it('rejects a parameter of the wrong type', async () => {
    const project = savedMlp();
    project.graph.nodes[1].params.units = 'twenty';
    const result = await openModelText(JSON.stringify(project), 'broken.layerlab.json');
    expect(result).toEqual({
      ok: false,
      message: 'broken.layerlab.json: The project file is invalid: layer "dense" (Dense): units must be a whole number ≥ 1 but got "twenty"',
    });
  });

  it('rejects a parameter out of range', async () => {
    const project = savedMlp();
    project.graph.nodes[2].params.units = 0;
    project.graph.nodes[3].params.activation = 'sigmoidal';
    const result = await openModelText(JSON.stringify(project), 'broken.layerlab.json');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain('layer "dense_1" (Dense): units must be ≥ 1 but got 0');
    expect(result.message).toContain('layer "dense_2" (Dense): activation must be one of linear, relu,');
    expect(result.message).toContain('but got "sigmoidal"');
  });

  it('rejects an unknown layer kind', async () => {
    const project = savedMlp();
    project.graph.nodes[2].kind = 'Dens';
    const result = await openModelText(JSON.stringify(project), 'broken.layerlab.json');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toBe(
      'broken.layerlab.json: The project file is invalid: layer "dense_1": kind "Dens" is not a supported layer kind; use a Keras class name that Layerlab supports, such as "Dense"',
    );
  });

  it('opens layers with missing parameters', async () => {
    const project = savedMlp();
    delete project.graph.nodes[1].params.units;
    project.graph.nodes[2].params = {};
    const result = await openModelText(JSON.stringify(project), 'old.layerlab.json');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.graph.nodes[1].params).toEqual({ activation: 'relu' });
    expect(inferGraph(result.graph).errors).toEqual([]);
  });

  it('rejects an invalid wrapped layer', async () => {
    const graph: Graph = {
      nodes: [
        { id: 'a', kind: 'InputLayer', name: 'input_1', params: { shape: [10, 4] } },
        { id: 'b', kind: 'Bidirectional', name: 'bidirectional', params: { layer: { kind: 'LSTM', params: { units: -3 } } } },
      ],
      edges: [{ id: 'e1', source: 'a', target: 'b' }],
    };
    const result = await openModelText(JSON.stringify(makeProject(graph)), 'rnn.layerlab.json');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain('layer "bidirectional" (Bidirectional): wrapped layer (LSTM): units must be ≥ 1 but got -3');
  });

  it('rejects an invalid layer of a nested model', async () => {
    const inner = chain([4], [{ kind: 'Dense', params: { units: 'many' }, name: 'inner_dense' }]);
    const graph: Graph = {
      nodes: [
        { id: 'a', kind: 'InputLayer', name: 'input_1', params: { shape: [4] } },
        { id: 'b', kind: 'Sequential', name: 'sequential', params: { graph: inner } },
      ],
      edges: [{ id: 'e1', source: 'a', target: 'b' }],
    };
    const result = await openModelText(JSON.stringify(makeProject(graph)), 'nested.layerlab.json');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain('layer "inner_dense" (Dense) in model "sequential": units must be a whole number ≥ 1 but got "many"');
  });

  it('rejects JSON that is neither project nor model', async () => {
    const result = await openModelText('{"hello": "world"}', 'notes.json');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain('neither a Layerlab project');
  });

  it('rejects text that is not JSON', async () => {
    const result = await openModelText('not json', 'notes.json');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain('is not valid JSON');
  });
});

describe('projectNameFromFile', () => {
  it('strips the project extension', () => {
    expect(projectNameFromFile('solubility.layerlab.json')).toBe('solubility');
  });

  it('strips a plain JSON extension', () => {
    expect(projectNameFromFile('model.json')).toBe('model');
  });
});
