import { describe, expect, it } from 'vitest';
import { graphToKerasModel } from '../../src/compile/keras-export';
import { inferGraph } from '../../src/graph/infer';
import { getTemplate } from '../../src/graph/templates';
import { openModelText, projectNameFromFile } from '../../src/project/open';
import { makeProject, serializeProject } from '../../src/project/schema';

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
