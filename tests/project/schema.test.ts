import { describe, expect, it } from 'vitest';
import { getTemplate } from '../../src/graph/templates';
import {
  makeProject,
  parseProjectText,
  parseProjectValue,
  PROJECT_VERSION,
  serializeProject,
} from '../../src/project/schema';

function savedProject() {
  return makeProject(getTemplate('solubility')!.build());
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests break the JSON on purpose
function withChange(change: (project: any) => void): unknown {
  const project = JSON.parse(serializeProject(savedProject()));
  change(project);
  return project;
}

describe('project schema', () => {
  it('accepts a saved project', () => {
    const result = parseProjectText(serializeProject(savedProject()));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.project).toEqual(savedProject());
    expect(result.migratedFrom).toBeUndefined();
  });

  it('keeps data and training sections', () => {
    const project = { ...savedProject(), data: { name: 'solubility' }, training: { epochs: 5 } };
    const result = parseProjectValue(project);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.project.training).toEqual({ epochs: 5 });
    expect(result.project.data).toEqual({ name: 'solubility' });
  });

  it('names the field and value of a wrong type', () => {
    const result = parseProjectValue(withChange((project) => (project.graph.nodes[1].kind = 5)));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain('graph.nodes[1].kind');
    expect(result.message).toContain('found 5');
  });

  it('names a missing field', () => {
    const result = parseProjectValue(withChange((project) => delete project.graph.edges[0].target));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain('graph.edges[0].target');
    expect(result.message).toContain('found nothing');
  });

  it('rejects an edge to a missing node', () => {
    const result = parseProjectValue(withChange((project) => (project.graph.edges[2].source = 'n99')));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain('graph.edges[2].source is not the id of a layer in this graph, found "n99"');
  });

  it('rejects repeated node ids', () => {
    const result = parseProjectValue(withChange((project) => (project.graph.nodes[3].id = project.graph.nodes[2].id)));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain('graph.nodes[3].id repeats the id of an earlier layer');
  });

  it('rejects a position that is not a number', () => {
    const result = parseProjectValue(withChange((project) => (project.graph.nodes[0].position = { x: 'left', y: 0 })));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain('graph.nodes[0].position.x must be a finite number, found "left"');
  });

  it('rejects another format', () => {
    const result = parseProjectValue({ format: 'something-else', version: 1, graph: { nodes: [], edges: [] } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain('format must be "layerlab-project"');
    expect(result.message).toContain('"something-else"');
  });

  it('rejects a newer version with advice', () => {
    const result = parseProjectValue({ ...savedProject(), version: PROJECT_VERSION + 1 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain(`version ${PROJECT_VERSION + 1}`);
    expect(result.message).toContain('newer Layerlab');
  });

  it('rejects text that is not JSON', () => {
    const result = parseProjectText('{"format": "layerlab-project", ');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toMatch(/^The file is not valid JSON/);
  });

  it('rejects a JSON array', () => {
    const result = parseProjectText('[1, 2, 3]');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain('expected a JSON object, found [1,2,3]');
  });

  it('checks layers only when asked', () => {
    const project = withChange((project) => (project.graph.nodes[9].params.units = 'many'));
    expect(parseProjectValue(project).ok).toBe(true);
    const checked = parseProjectValue(project, { checkLayers: true });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.problems).toEqual(['layer "dense" (Dense): units must be a whole number ≥ 1 but got "many"']);
  });

  it('lists at most three problems', () => {
    const result = parseProjectValue(
      withChange((project) => {
        for (const node of project.graph.nodes) node.name = 7;
      }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(12);
    expect(result.message).toContain('(and 9 more)');
  });
});

describe('project migration', () => {
  it('reads a bare graph as version 0', () => {
    const graph = getTemplate('mlp-2d')!.build();
    const result = parseProjectText(JSON.stringify(graph));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.migratedFrom).toBe(0);
    expect(result.project.version).toBe(PROJECT_VERSION);
    expect(result.project.format).toBe('layerlab-project');
    expect(result.project.graph).toEqual(graph);
  });

  it('validates the migrated graph', () => {
    const result = parseProjectValue({ nodes: [{ id: 'n1' }], edges: [] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain('graph.nodes[0].kind');
  });
});
