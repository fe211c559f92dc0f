// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { graphToSvg } from '../../src/compile/export-picture';
import { inferGraph } from '../../src/graph/infer';
import { TEMPLATES } from '../../src/graph/templates';
import type { Graph } from '../../src/graph/types';
import { getLayerKind, withDefaults } from '../../src/layers';
import { formatShape } from '../../src/layers/format';
import { chain } from '../helpers/graph-builders';

/** Parses SVG text strictly; a syntax error fails the test. */
function parseSvg(svg: string): Document {
  const document = new DOMParser().parseFromString(svg, 'image/svg+xml');
  const error = document.querySelector('parsererror');
  if (error) throw new Error(`invalid SVG: ${error.textContent}`);
  return document;
}

function boxOf(document: Document, nodeId: string): { x: number; y: number; text: string; stroke: string } {
  const group = document.querySelector(`g[data-node-id="${nodeId}"]`)!;
  const rect = group.querySelector('rect')!;
  return {
    x: Number(rect.getAttribute('x')),
    y: Number(rect.getAttribute('y')),
    text: [...group.querySelectorAll('text')].map((text) => text.textContent).join('\n'),
    stroke: rect.getAttribute('stroke')!,
  };
}

describe('graphToSvg', () => {
  it.each(TEMPLATES.map((template) => [template.id, template] as const))('draws every layer and edge of template %s', (_id, template) => {
    const graph = template.build();
    const document = parseSvg(graphToSvg(graph, { title: template.name }));
    expect(document.querySelectorAll('g[data-node-id]')).toHaveLength(graph.nodes.length);
    expect(document.querySelectorAll('path[data-edge-id]')).toHaveLength(graph.edges.length);
  });

  it('labels each edge with its shape', () => {
    const graph = TEMPLATES[0].build();
    const inference = inferGraph(graph);
    const labels = [...parseSvg(graphToSvg(graph)).querySelectorAll('text')].map((text) => text.textContent);
    for (const edge of graph.edges) expect(labels).toContain(formatShape(inference.edgeShapes.get(edge.id)!));
    expect(labels).toContain('(None, 1)');
  });

  it('shows name, kind, settings and parameter count', () => {
    const graph = chain([200, 16], [{ kind: 'Conv1D', name: 'conv1d', params: { filters: 16, kernelSize: 5, activation: 'relu' } }]);
    const box = boxOf(parseSvg(graphToSvg(graph)), 'n1');
    expect(box.text).toContain('conv1d · Conv1D');
    expect(box.text).toContain('1,296 params');
    const kind = getLayerKind('Conv1D')!;
    expect(box.text).toContain(kind.summarize!(withDefaults(kind, graph.nodes[1].params)));
  });

  it('shows the Input shape and dtype', () => {
    const box = boxOf(parseSvg(graphToSvg(TEMPLATES[0].build())), 'n1');
    expect(box.text).toContain('(None, 200) int32');
  });

  it('counts non-trainable parameters apart', () => {
    const graph = chain([8], [{ kind: 'BatchNormalization', name: 'norm' }]);
    expect(boxOf(parseSvg(graphToSvg(graph)), 'n1').text).toContain('32 params (16 non-trainable)');
  });

  it('escapes names for XML', () => {
    const graph = chain([4], [{ kind: 'Dense', name: 'a<b>&"c\'', params: { units: 2 } }]);
    const svg = graphToSvg(graph, { title: 'R&D <model>' });
    expect(boxOf(parseSvg(svg), 'n1').text).toContain('a<b>&"c\' · Dense');
    expect(parseSvg(svg).querySelector('svg > text')!.textContent).toBe('R&D <model>');
  });

  it('marks a layer with an error in red with its message', () => {
    const graph = chain([4, 4], [{ kind: 'Dense', name: 'dense', params: { units: 0 } }]);
    const document = parseSvg(graphToSvg(graph));
    const box = boxOf(document, 'n1');
    expect(box.stroke).toBe('#c62828');
    expect(box.text).toMatch(/^error: dense: /m);
    expect(document.querySelector('g[data-node-id="n1"] > title')!.textContent).toBe(inferGraph(graph).errors[0].message);
  });

  it('places boxes at their canvas positions', () => {
    const graph = chain([4], [{ kind: 'Dense', name: 'dense', params: { units: 2 } }]);
    graph.nodes[0].position = { x: 100, y: 0 };
    graph.nodes[1].position = { x: 300, y: 150 };
    const document = parseSvg(graphToSvg(graph));
    const input = boxOf(document, 'n0');
    const dense = boxOf(document, 'n1');
    expect(dense.x - input.x).toBe(200);
    expect(dense.y - input.y).toBe(150);
  });

  it('lays out from top to bottom without positions', () => {
    const graph: Graph = TEMPLATES.find((template) => template.id === 'residual')!.build();
    for (const node of graph.nodes) delete node.position;
    const document = parseSvg(graphToSvg(graph));
    for (const edge of graph.edges) {
      expect(boxOf(document, edge.target).y, edge.id).toBeGreaterThan(boxOf(document, edge.source).y);
    }
  });

  it('routes a skip connection beside the boxes', () => {
    const graph = TEMPLATES.find((template) => template.id === 'residual')!.build();
    const document = parseSvg(graphToSvg(graph));
    const skip = graph.edges.find((edge) => graph.nodes.find((node) => node.id === edge.source)!.name === 'conv2d' && edge.targetInput === 0)!;
    const path = document.querySelector(`path[data-edge-id="${skip.id}"]`)!.getAttribute('d')!;
    const source = boxOf(document, skip.source);
    expect(path).toMatch(/^M [\d.]+ [\d.]+ H [\d.]+ V [\d.]+ H [\d.]+$/);
    expect(Number(path.split(' ')[1])).toBe(source.x + 260);
  });

  it('says which layer shares weights', () => {
    const graph = chain([3], [{ kind: 'Dense', name: 'dense', params: { units: 3 } }]);
    graph.nodes.push({ id: 'n2', kind: 'Dense', name: 'dense_again', params: {}, sharedWith: 'n1' });
    graph.edges.push({ id: 'e2', source: 'n1', target: 'n2' });
    expect(boxOf(parseSvg(graphToSvg(graph)), 'n2').text).toContain('shared weights');
  });

  it('draws an empty graph', () => {
    expect(() => parseSvg(graphToSvg({ nodes: [], edges: [] }))).not.toThrow();
  });
});
